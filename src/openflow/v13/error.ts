/**
 * OFPT_ERROR (OpenFlow 1.3). `data` holds (at least the first 64 bytes of) the request that
 * failed; experimenter errors (type 0xffff) carry an experimenter id and their own code.
 */
import { constant, restBytes, struct, u16, u32, union } from '../codec';
import { header } from '../header';

const standardError = struct(
  'ofp_error_msg',
  { ...header(4, 1), errType: u16, code: u16, data: restBytes },
  { tag: 'error' },
);

const experimenterError = struct(
  'ofp_error_experimenter_msg',
  { ...header(4, 1), errType: constant(u16, 0xffff), expCode: u16, experimenter: u32, data: restBytes },
  { tag: 'error_experimenter' },
);

/** Dispatches on the error type: experimenter errors have their own layout. */
export const errorMsg = union('ofp_error', [experimenterError], { at: 8, width: 2, fallback: standardError });
