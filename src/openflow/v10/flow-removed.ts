/** OFPT_FLOW_REMOVED (OpenFlow 1.0): a flow expired or was deleted, with its final counters. */
import { pad, struct, u8, u16, u32, u64 } from '../codec';
import { header } from '../header';
import { MessageType, OFP10_VERSION } from './constants';
import { ofpMatch } from './match';

export const flowRemoved = struct(
  'ofp_flow_removed',
  {
    ...header(OFP10_VERSION, MessageType.FLOW_REMOVED),
    match: ofpMatch,
    cookie: u64,
    priority: u16,
    reason: u8,
    pad: pad(1),
    durationSec: u32,
    durationNsec: u32,
    idleTimeout: u16,
    pad2: pad(2),
    packetCount: u64,
    byteCount: u64,
  },
  { tag: 'flow_removed' },
);
