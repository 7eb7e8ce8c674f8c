/**
 * Which OFPET_BAD_REQUEST code answers a message the version's codec could not decode:
 * an unknown message type, an unknown multipart kind, or (anything else) a bad length.
 */
import { DecodeError } from '../codec';
import { OFPBRC_BAD_LEN, OFPBRC_BAD_MULTIPART, OFPBRC_BAD_TYPE } from './message-codes';
import type { OpenflowMessageBase, VersionCodec } from './version-codec';

/** Byte offset of the multipart type in a multipart request/reply. */
const MULTIPART_TYPE_OFFSET = 8;

export function badRequestCode<M extends OpenflowMessageBase>(
  codec: VersionCodec<M>,
  frame: Buffer,
  err: unknown,
): number {
  if (codec.isUnknownType(err)) return OFPBRC_BAD_TYPE;
  const type = frame[1];
  const isMultipart = type === codec.codes.multipartReply || type === codec.codes.multipartRequest;
  // union() reports an unclaimed multipart type as `unknown type N` at its offset.
  if (
    isMultipart &&
    err instanceof DecodeError &&
    err.offset === MULTIPART_TYPE_OFFSET &&
    err.detail.startsWith('unknown type')
  ) {
    return OFPBRC_BAD_MULTIPART;
  }
  return OFPBRC_BAD_LEN;
}
