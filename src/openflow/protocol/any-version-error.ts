/**
 * OFPT_ERROR with the version byte as part of the value, like hello: the connection sends it
 * before a version is agreed (HELLO_FAILED) and for messages no version codec can read.
 * The layout (header, type, code, data) is the same in every version.
 */
import { constant, length, restBytes, struct, u8, u16, u32, type ValueOf } from '../codec';

export const anyVersionError = struct(
  'ofp_error_msg',
  {
    version: u8,
    msgType: constant(u8, 1),
    length: length(u16),
    xid: u32,
    errType: u16,
    code: u16,
    data: restBytes,
  },
  { tag: 'error' },
);
export type AnyVersionError = ValueOf<typeof anyVersionError>;
