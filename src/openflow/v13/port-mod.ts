/** OFPT_PORT_MOD (OpenFlow 1.3): change a port's config bits and advertised features. */
import { mac, pad, struct, u32, type ValueOf } from '../codec';
import { header } from '../header';

export const portMod = struct(
  'ofp_port_mod',
  {
    ...header(4, 16),
    portNo: u32,
    pad: pad(4),
    hwAddr: mac,
    pad2: pad(2),
    config: u32,
    mask: u32,
    advertise: u32,
    pad3: pad(4),
  },
  { tag: 'port_mod' },
);
export type PortMod = ValueOf<typeof portMod>;
