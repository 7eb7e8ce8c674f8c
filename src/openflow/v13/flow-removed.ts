/** OFPT_FLOW_REMOVED (OpenFlow 1.3): a flow entry expired or was deleted, with its counters. */
import { struct, u8, u16, u32, u64, type ValueOf } from '../codec';
import { header } from '../header';
import { ofpMatch } from '../oxm';

export const flowRemoved = struct(
  'ofp_flow_removed',
  {
    ...header(4, 11),
    cookie: u64,
    priority: u16,
    reason: u8,
    tableId: u8,
    durationSec: u32,
    durationNsec: u32,
    idleTimeout: u16,
    hardTimeout: u16,
    packetCount: u64,
    byteCount: u64,
    match: ofpMatch,
  },
  { tag: 'flow_removed' },
);
export type FlowRemoved = ValueOf<typeof flowRemoved>;
