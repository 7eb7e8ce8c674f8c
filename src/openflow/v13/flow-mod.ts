/** OFPT_FLOW_MOD (OpenFlow 1.3): add, modify or delete flow entries. */
import { pad, struct, u8, u16, u32, u64, type ValueOf } from '../codec';
import { header } from '../header';
import { ofpMatch } from '../oxm';
import { instructionList } from './instruction';

export const flowMod = struct(
  'ofp_flow_mod',
  {
    ...header(4, 14),
    cookie: u64,
    cookieMask: u64,
    tableId: u8,
    command: u8,
    idleTimeout: u16,
    hardTimeout: u16,
    priority: u16,
    bufferId: u32,
    outPort: u32,
    outGroup: u32,
    flags: u16,
    pad: pad(2),
    match: ofpMatch,
    instructions: instructionList,
  },
  { tag: 'flow_mod' },
);
export type FlowMod = ValueOf<typeof flowMod>;
