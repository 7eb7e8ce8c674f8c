/**
 * Multipart (1.0: stats) reply reassembly on the raw bytes: a reply part carries the MORE
 * flag in the 16-bit flags at byte 10 while more parts follow.
 */
import { OpenflowReplyError } from './errors';
import type { MessageCodes } from './message-codes';
import { MULTIPART_FLAGS_OFFSET, MULTIPART_REPLY_MORE } from './message-codes';
import type { ReplyHandlers, SentRequest, Settle } from './pending-requests';
import type { OpenflowMessage } from './versions';

/** True when `frame` is a multipart reply part with more parts to follow. */
export function hasMoreParts(frame: Buffer, codes: MessageCodes): boolean {
  return (
    frame[1] === codes.multipartReply &&
    frame.length >= MULTIPART_FLAGS_OFFSET + 2 &&
    (frame.readUInt16BE(MULTIPART_FLAGS_OFFSET) & MULTIPART_REPLY_MORE) !== 0
  );
}

/** Reply handlers that collect the parts answering `sent` and resolve with all of them. */
export function collectParts(
  switchName: string,
  sent: SentRequest,
  codes: MessageCodes,
  maxBytes: number,
  settle: Settle<readonly OpenflowMessage[]>,
): ReplyHandlers {
  const parts: OpenflowMessage[] = [];
  let bytes = 0;
  return {
    onReply: (reply, frame) => {
      if (frame[1] !== codes.multipartReply) {
        settle.reject(
          new OpenflowReplyError(switchName, sent, `expected a multipart reply, got ${reply.type}`),
        );
        return;
      }
      bytes += frame.length;
      if (bytes > maxBytes) {
        settle.reject(
          new OpenflowReplyError(switchName, sent, `multipart reply exceeds maxMultipartBytes (${maxBytes})`),
        );
        return;
      }
      parts.push(reply);
      if (!hasMoreParts(frame, codes)) settle.resolve(parts);
    },
    onError: (e) => settle.reject(e),
  };
}
