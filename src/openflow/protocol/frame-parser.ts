/**
 * Cuts a byte stream into OpenFlow messages by the length in each ofp_header. A chunk may
 * end inside a message or hold many; a length below the header size or above the
 * configured maximum cannot be framed past, so it is malformed input (the connection closes).
 */
import { ProtocolError, type StreamParser } from '../../protocol';
import { OFP_HEADER_SIZE } from '../header';

/** ofp_header.length is 16 bits: no message is longer. */
export const OFP_MAX_MESSAGE_BYTES = 0xffff;

export class OpenflowFrameParser implements StreamParser<Buffer> {
  /** Bytes of an unfinished message (always shorter than one message, so at most 64 KiB). */
  private rest: Buffer | undefined;

  constructor(private readonly maxMessageBytes: number = OFP_MAX_MESSAGE_BYTES) {
    if (!Number.isInteger(maxMessageBytes) || maxMessageBytes < OFP_HEADER_SIZE) {
      throw new RangeError(`maxMessageBytes ${maxMessageBytes}: must be an integer >= ${OFP_HEADER_SIZE}`);
    }
  }

  get pending(): number {
    return this.rest?.length ?? 0;
  }

  feed(chunk: Buffer, emit: (frame: Buffer) => void): void {
    const buf = this.rest === undefined ? chunk : Buffer.concat([this.rest, chunk]);
    this.rest = undefined;
    let off = 0;
    while (buf.length - off >= 4) {
      const length = buf.readUInt16BE(off + 2);
      if (length < OFP_HEADER_SIZE) {
        throw new ProtocolError(
          'openflow',
          `message length ${length} is shorter than the 8-byte header`,
          off,
        );
      }
      if (length > this.maxMessageBytes) {
        throw new ProtocolError(
          'openflow',
          `message length ${length} exceeds the limit of ${this.maxMessageBytes} bytes`,
          off,
        );
      }
      if (buf.length - off < length) break;
      const frame = buf.subarray(off, off + length);
      off += length;
      emit(frame);
    }
    // Copy the tail so a large chunk is not kept alive by a few bytes of it.
    if (off < buf.length) this.rest = Buffer.from(buf.subarray(off));
  }
}
