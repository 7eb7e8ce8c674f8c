/** OFPT_PORT_STATUS (OpenFlow 1.0): a port was added, deleted or changed. */
import { pad, struct, u8 } from '../codec';
import { header } from '../header';
import { MessageType, OFP10_VERSION } from './constants';
import { ofpPhyPort } from './port';

export const portStatus = struct(
  'ofp_port_status',
  { ...header(OFP10_VERSION, MessageType.PORT_STATUS), reason: u8, pad: pad(7), desc: ofpPhyPort },
  { tag: 'port_status' },
);
