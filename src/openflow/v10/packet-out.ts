/** OFPT_PACKET_OUT (OpenFlow 1.0): actions applied to a buffered packet or to the data given. */
import { list, restBytes, sizeOf, struct, u16, u32 } from '../codec';
import { header } from '../header';
import { ofp10Action } from './action';
import { MessageType, OFP10_VERSION } from './constants';

export const packetOut = struct(
  'ofp_packet_out',
  {
    ...header(OFP10_VERSION, MessageType.PACKET_OUT),
    bufferId: u32,
    inPort: u16,
    actionsLen: sizeOf(u16, 'actions'),
    actions: list(ofp10Action),
    data: restBytes,
  },
  { tag: 'packet_out' },
);
