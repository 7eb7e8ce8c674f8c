/** ofp_port (OpenFlow 1.3): a switch port as port-desc replies and port-status messages carry it. */
import { fixedString, mac, pad, struct, u32, type ValueOf } from '../codec';

export const ofpPort = struct('ofp_port', {
  portNo: u32,
  pad: pad(4),
  hwAddr: mac,
  pad2: pad(2),
  name: fixedString(16),
  config: u32,
  state: u32,
  curr: u32,
  advertised: u32,
  supported: u32,
  peer: u32,
  currSpeed: u32,
  maxSpeed: u32,
});
export type OfpPort = ValueOf<typeof ofpPort>;
