/** OFPT_FLOW_MOD (OpenFlow 1.0): add, modify or delete flows of the one 1.0 table. */
import { list, struct, u16, u32, u64 } from '../codec';
import { header } from '../header';
import { ofp10Action } from './action';
import { MessageType, OFP10_VERSION } from './constants';
import { ofpMatch } from './match';

export const flowMod = struct(
  'ofp_flow_mod',
  {
    ...header(OFP10_VERSION, MessageType.FLOW_MOD),
    match: ofpMatch,
    cookie: u64,
    command: u16,
    idleTimeout: u16,
    hardTimeout: u16,
    priority: u16,
    bufferId: u32,
    outPort: u16,
    flags: u16,
    actions: list(ofp10Action),
  },
  { tag: 'flow_mod' },
);
