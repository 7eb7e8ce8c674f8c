/** ofp_phy_port (OpenFlow 1.0): a switch port as features replies and port-status messages carry it. */
import { fixedString, mac, struct, u16, u32, type ValueOf } from '../codec';

export const ofpPhyPort = struct('ofp_phy_port', {
  portNo: u16,
  hwAddr: mac,
  name: fixedString(16),
  config: u32,
  state: u32,
  curr: u32,
  advertised: u32,
  supported: u32,
  peer: u32,
});
export type OfpPhyPort = ValueOf<typeof ofpPhyPort>;
