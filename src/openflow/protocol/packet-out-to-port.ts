/**
 * The packet_out a controller answers a packet-in with: a frame it built, sent out of one
 * port (usually the packet's in_port), not buffered, with in_port OFPP_CONTROLLER so the
 * switch does not treat it as coming from that port (which `output` would then skip).
 */
import { NO_BUFFER, Port } from '../v13/constants';
import type { OutgoingMessage } from './switch';

export function packetOutToPort(port: number, frame: Buffer): OutgoingMessage {
  return {
    type: 'packet_out',
    bufferId: NO_BUFFER,
    inPort: Port.CONTROLLER,
    actions: [{ type: 'output', port, maxLen: 0 }],
    data: frame,
  };
}
