/**
 * ofp_match of OpenFlow 1.3: type 1 (OXM), a length that counts the header and the TLVs but
 * not the padding to 8 bytes that follows them.
 */
import { constant, length, list, struct, u16, type ValueOf } from '../codec';
import { oxmField } from './oxm-field';

export const OFPMT_OXM = 1;

export const ofpMatch = struct('ofp_match', {
  matchType: constant(u16, OFPMT_OXM),
  length: length(u16, { align: 8, includePadding: false }),
  fields: list(oxmField),
});

export type Match = ValueOf<typeof ofpMatch>;
