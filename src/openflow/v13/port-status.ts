/** OFPT_PORT_STATUS (OpenFlow 1.3): a port was added, removed or changed. */
import { pad, struct, u8, type ValueOf } from '../codec';
import { header } from '../header';
import { ofpPort } from './port';

export const portStatus = struct(
  'ofp_port_status',
  { ...header(4, 12), reason: u8, pad: pad(7), desc: ofpPort },
  { tag: 'port_status' },
);
export type PortStatus = ValueOf<typeof portStatus>;
