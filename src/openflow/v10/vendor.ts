/**
 * OFPT_VENDOR (OpenFlow 1.0): dispatched on the vendor id, then (Nicira) on the subtype. The
 * Nicira messages OVS uses to set up a 1.0 session are declared; other Nicira subtypes and
 * other vendors are kept raw so they still round-trip.
 */
import { constant, pad, restBytes, struct, u8, u32, union } from '../codec';
import { header } from '../header';
import { MessageType, NX_VENDOR_ID, NxMessageType, OFP10_VERSION } from './constants';

const nicira = <const T extends number>(subtype: T) =>
  ({
    ...header(OFP10_VERSION, MessageType.VENDOR),
    vendor: constant(u32, NX_VENDOR_ID),
    subtype: constant(u32, subtype),
  }) as const;

export const nxSetFlowFormat = struct(
  'nx_set_flow_format',
  { ...nicira(NxMessageType.SET_FLOW_FORMAT), format: u32 },
  { tag: 'nx_set_flow_format' },
);

export const nxSetPacketInFormat = struct(
  'nx_set_packet_in_format',
  { ...nicira(NxMessageType.SET_PACKET_IN_FORMAT), format: u32 },
  { tag: 'nx_set_packet_in_format' },
);

export const nxFlowModTableId = struct(
  'nx_flow_mod_table_id',
  { ...nicira(NxMessageType.FLOW_MOD_TABLE_ID), set: u8, pad: pad(7) },
  { tag: 'nx_flow_mod_table_id' },
);

export const nxRoleRequest = struct(
  'nx_role_request',
  { ...nicira(NxMessageType.ROLE_REQUEST), role: u32 },
  { tag: 'nx_role_request' },
);

/** OVS declares the reply with the request's struct. */
export const nxRoleReply = struct(
  'nx_role_request',
  { ...nicira(NxMessageType.ROLE_REPLY), role: u32 },
  { tag: 'nx_role_reply' },
);

/** A Nicira message not declared here (NXT_FLOW_MOD, NXT_PACKET_IN, ...): subtype and body. */
export const nxVendorRaw = struct(
  'nicira_header',
  {
    ...header(OFP10_VERSION, MessageType.VENDOR),
    vendor: constant(u32, NX_VENDOR_ID),
    subtype: u32,
    data: restBytes,
  },
  { tag: 'nx_vendor' },
);

export const niciraMessage = union(
  'nicira_header',
  [nxSetFlowFormat, nxSetPacketInFormat, nxFlowModTableId, nxRoleRequest, nxRoleReply],
  { at: 12, width: 4, fallback: nxVendorRaw },
);

/** Any other vendor: its id and the bytes after it. */
export const vendorRaw = struct(
  'ofp_vendor_header',
  { ...header(OFP10_VERSION, MessageType.VENDOR), vendor: u32, data: restBytes },
  { tag: 'vendor' },
);

export const vendorMsg = union('ofp_vendor', [niciraMessage], { at: 8, width: 4, fallback: vendorRaw });
