/** OFPT_PACKET_IN (OpenFlow 1.3): a packet sent to the controller, with the match of its metadata. */
import { pad, restBytes, struct, u8, u16, u32, u64, type ValueOf } from '../codec';
import { header } from '../header';
import { ofpMatch } from '../oxm';

export const packetIn = struct(
  'ofp_packet_in',
  {
    ...header(4, 10),
    bufferId: u32,
    totalLen: u16,
    reason: u8,
    tableId: u8,
    cookie: u64,
    match: ofpMatch,
    pad: pad(2),
    data: restBytes,
  },
  { tag: 'packet_in' },
);
export type PacketIn = ValueOf<typeof packetIn>;
