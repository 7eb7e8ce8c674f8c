/** OFPT_PACKET_IN (OpenFlow 1.0): a packet (or its head, with a buffer id) sent to the controller. */
import { pad, restBytes, struct, u8, u16, u32 } from '../codec';
import { header } from '../header';
import { MessageType, OFP10_VERSION } from './constants';

export const packetIn = struct(
  'ofp_packet_in',
  {
    ...header(OFP10_VERSION, MessageType.PACKET_IN),
    bufferId: u32,
    totalLen: u16,
    inPort: u16,
    reason: u8,
    pad: pad(1),
    data: restBytes,
  },
  { tag: 'packet_in' },
);
