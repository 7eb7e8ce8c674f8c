/**
 * ofp_action_set_field (OFPAT_SET_FIELD = 25, OpenFlow 1.2+): one OXM TLV, padded to 8 bytes;
 * unlike ofp_match, its length counts the padding.
 */
import { constant, length, struct, u16, type ValueOf } from '../codec';
import { oxmField } from './oxm-field';

export const OFPAT_SET_FIELD = 25;

export const setFieldAction = struct(
  'ofp_action_set_field',
  {
    actionType: constant(u16, OFPAT_SET_FIELD),
    len: length(u16, { align: 8 }),
    field: oxmField,
  },
  { tag: 'set_field' },
);

export type SetFieldAction = ValueOf<typeof setFieldAction>;
