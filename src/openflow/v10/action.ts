/**
 * OpenFlow 1.0 actions (ofp_action_*), one struct per OFPAT type, and `ofp10Action`, their
 * union. Vendor actions dispatch on the vendor id: Nicira ones to the shared `nxAction`
 * codec, any other vendor kept as raw data so it still round-trips.
 */
import {
  constant,
  ipv4,
  length,
  mac,
  pad,
  restBytes,
  struct,
  u8,
  u16,
  u32,
  union,
  type ValueOf,
} from '../codec';
import { nxAction } from '../nicira';
import { ActionType } from './constants';

const actionHead = (type: number) =>
  ({ actionType: constant(u16, type), len: length(u16, { align: 8 }) }) as const;

export const actionOutput = struct(
  'ofp_action_output',
  { ...actionHead(ActionType.OUTPUT), port: u16, maxLen: u16 },
  { tag: 'output' },
);

export const actionSetVlanVid = struct(
  'ofp_action_vlan_vid',
  { ...actionHead(ActionType.SET_VLAN_VID), vlanVid: u16, pad: pad(2) },
  { tag: 'set_vlan_vid' },
);

export const actionSetVlanPcp = struct(
  'ofp_action_vlan_pcp',
  { ...actionHead(ActionType.SET_VLAN_PCP), vlanPcp: u8, pad: pad(3) },
  { tag: 'set_vlan_pcp' },
);

export const actionStripVlan = struct(
  'ofp_action_strip_vlan',
  { ...actionHead(ActionType.STRIP_VLAN), pad: pad(4) },
  { tag: 'strip_vlan' },
);

export const actionSetDlSrc = struct(
  'ofp_action_dl_addr',
  { ...actionHead(ActionType.SET_DL_SRC), dlAddr: mac, pad: pad(6) },
  { tag: 'set_dl_src' },
);

export const actionSetDlDst = struct(
  'ofp_action_dl_addr',
  { ...actionHead(ActionType.SET_DL_DST), dlAddr: mac, pad: pad(6) },
  { tag: 'set_dl_dst' },
);

export const actionSetNwSrc = struct(
  'ofp_action_nw_addr',
  { ...actionHead(ActionType.SET_NW_SRC), nwAddr: ipv4 },
  { tag: 'set_nw_src' },
);

export const actionSetNwDst = struct(
  'ofp_action_nw_addr',
  { ...actionHead(ActionType.SET_NW_DST), nwAddr: ipv4 },
  { tag: 'set_nw_dst' },
);

export const actionSetNwTos = struct(
  'ofp_action_nw_tos',
  { ...actionHead(ActionType.SET_NW_TOS), nwTos: u8, pad: pad(3) },
  { tag: 'set_nw_tos' },
);

export const actionSetTpSrc = struct(
  'ofp_action_tp_port',
  { ...actionHead(ActionType.SET_TP_SRC), tpPort: u16, pad: pad(2) },
  { tag: 'set_tp_src' },
);

export const actionSetTpDst = struct(
  'ofp_action_tp_port',
  { ...actionHead(ActionType.SET_TP_DST), tpPort: u16, pad: pad(2) },
  { tag: 'set_tp_dst' },
);

export const actionEnqueue = struct(
  'ofp_action_enqueue',
  { ...actionHead(ActionType.ENQUEUE), port: u16, pad: pad(6), queueId: u32 },
  { tag: 'enqueue' },
);

/** A vendor action of a vendor we do not model: its id and the bytes after it. */
export const actionVendorRaw = struct(
  'ofp_action_vendor_header',
  { ...actionHead(ActionType.VENDOR), vendor: u32, data: restBytes },
  { tag: 'vendor' },
);

export const actionVendor = union('ofp_action_vendor', [nxAction], {
  at: 4,
  width: 4,
  fallback: actionVendorRaw,
});

export const ofp10Action = union(
  'ofp10_action',
  [
    actionOutput,
    actionSetVlanVid,
    actionSetVlanPcp,
    actionStripVlan,
    actionSetDlSrc,
    actionSetDlDst,
    actionSetNwSrc,
    actionSetNwDst,
    actionSetNwTos,
    actionSetTpSrc,
    actionSetTpDst,
    actionEnqueue,
    actionVendor,
  ],
  { at: 0, width: 2 },
);
export type Ofp10Action = ValueOf<typeof ofp10Action>;
