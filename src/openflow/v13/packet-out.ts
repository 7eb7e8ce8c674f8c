/** OFPT_PACKET_OUT (OpenFlow 1.3): a packet (or a buffered one) to run through actions. */
import { pad, restBytes, sizeOf, struct, u16, u32, type ValueOf } from '../codec';
import { header } from '../header';
import { actionList } from './action';

export const packetOut = struct(
  'ofp_packet_out',
  {
    ...header(4, 13),
    bufferId: u32,
    inPort: u32,
    actionsLen: sizeOf(u16, 'actions'),
    pad: pad(6),
    actions: actionList,
    data: restBytes,
  },
  { tag: 'packet_out' },
);
export type PacketOut = ValueOf<typeof packetOut>;
