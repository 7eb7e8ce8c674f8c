/** NXAST_SET_TUNNEL / NXAST_SET_TUNNEL64: set the tunnel id (VXLAN VNI, GRE key). */
import { pad, struct, u32, u64, type ValueOf } from '../codec';
import { NXAST, nxHeader } from './nx-header';

export const nxSetTunnel = struct(
  'nx_action_set_tunnel',
  { ...nxHeader(NXAST.SET_TUNNEL), pad: pad(2), tunId: u32 },
  { tag: 'nx_set_tunnel' },
);

export const nxSetTunnel64 = struct(
  'nx_action_set_tunnel64',
  { ...nxHeader(NXAST.SET_TUNNEL64), pad: pad(6), tunId: u64 },
  { tag: 'nx_set_tunnel64' },
);

export type NxSetTunnel = ValueOf<typeof nxSetTunnel>;
export type NxSetTunnel64 = ValueOf<typeof nxSetTunnel64>;
