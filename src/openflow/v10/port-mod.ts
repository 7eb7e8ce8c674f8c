/** OFPT_PORT_MOD (OpenFlow 1.0): change the config bits selected by `mask` and what a port advertises. */
import { mac, pad, struct, u16, u32 } from '../codec';
import { header } from '../header';
import { MessageType, OFP10_VERSION } from './constants';

export const portMod = struct(
  'ofp_port_mod',
  {
    ...header(OFP10_VERSION, MessageType.PORT_MOD),
    portNo: u16,
    hwAddr: mac,
    config: u32,
    mask: u32,
    advertise: u32,
    pad: pad(4),
  },
  { tag: 'port_mod' },
);
