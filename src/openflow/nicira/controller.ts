/**
 * Sending packets to the controller: NXAST_CONTROLLER (fixed fields) and NXAST_CONTROLLER2
 * (a list of properties: max_len, controller_id, reason, userdata, pause, meter_id).
 */
import {
  constant,
  type FieldSpec,
  length,
  list,
  pad,
  restBytes,
  struct,
  u8,
  u16,
  u32,
  union,
  type ValueOf,
} from '../codec';
import { NXAST, nxHeader } from './nx-header';

export const nxController = struct(
  'nx_action_controller',
  { ...nxHeader(NXAST.CONTROLLER), maxLen: u16, controllerId: u16, reason: u8, pad: pad(1) },
  { tag: 'nx_controller' },
);

/**
 * A controller2 property: type, length without the padding to 8. OVS writes a 16-bit value
 * as 4 bytes (2 of them padding) and counts them in the length.
 */
function prop<const Tag extends string, const F extends Record<string, FieldSpec>>(
  code: number,
  tag: Tag,
  fields: F,
) {
  return struct(
    `nx_action_controller2_prop_${tag}`,
    { propType: constant(u16, code), len: length(u16, { align: 8, includePadding: false }), ...fields },
    { tag },
  );
}

export const controller2Prop = union(
  'nx_action_controller2_prop',
  [
    prop(0, 'max_len', { maxLen: u16, pad: pad(2) }),
    prop(1, 'controller_id', { controllerId: u16, pad: pad(2) }),
    struct(
      'nx_action_controller2_prop_reason',
      { propType: constant(u16, 2), len: length(u16, { align: 8, includePadding: false }), reason: u8 },
      { tag: 'reason' },
    ),
    prop(3, 'userdata', { userdata: restBytes }),
    prop(4, 'pause', {}),
    struct(
      'nx_action_controller2_prop_meter_id',
      { propType: constant(u16, 5), len: length(u16, { align: 8, includePadding: false }), meterId: u32 },
      { tag: 'meter_id' },
    ),
  ],
  {
    at: 0,
    width: 2,
    fallback: struct(
      'nx_action_controller2_prop',
      { propType: u16, len: length(u16, { align: 8, includePadding: false }), data: restBytes },
      { tag: 'unknown' },
    ),
  },
);

export const nxController2 = struct(
  'nx_action_controller2',
  { ...nxHeader(NXAST.CONTROLLER2), pad: pad(6), properties: list(controller2Prop) },
  { tag: 'nx_controller2' },
);

export type NxController = ValueOf<typeof nxController>;
export type NxController2 = ValueOf<typeof nxController2>;
export type Controller2Property = ValueOf<typeof controller2Prop>;
