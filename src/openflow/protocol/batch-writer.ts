/**
 * Encodes a batch of messages straight into one large buffer and writes it 64 KiB at a time.
 * The socket has no delay (Nagle off), so a write per flow-mod would cost a syscall and a
 * segment each, which dominated a 10,000-flow batch; and encoding each message into a buffer
 * of its own, then joining them, copied every byte twice more. The stream carries the same
 * bytes either way.
 */
import type { Connection } from '../../protocol';
import { Writer } from '../codec';

/** A batch goes out once it holds this much. */
const BATCH_BYTES = 64 * 1024;
/**
 * Room for a full batch plus one largest message (an OpenFlow length is 16 bits), so the
 * buffer never has to grow (and copy itself) while a batch fills.
 */
const BUFFER_BYTES = BATCH_BYTES + 64 * 1024;

export class BatchWriter {
  private writer: Writer | undefined;

  constructor(private readonly connection: Connection<Buffer>) {}

  /**
   * Encodes one message at the end of the batch (`encode` appends it to the writer). If it
   * throws, the batch is left as it was and the error goes to the caller.
   */
  add<T>(encode: (w: Writer, value: T) => void, value: T): void {
    // Allocated on first use: a batch that stays empty costs nothing.
    this.writer ??= new Writer(BUFFER_BYTES);
    const w = this.writer;
    const start = w.pos;
    try {
      encode(w, value);
    } catch (e) {
      w.pos = start;
      throw e;
    }
  }

  /** True once the batch should go out (`flush`). */
  get full(): boolean {
    return this.writer !== undefined && this.writer.pos >= BATCH_BYTES;
  }

  /** Writes what the batch holds; waits (for the socket to drain) above the high-water mark. */
  flush(): Promise<void> {
    const w = this.writer;
    if (w === undefined || w.pos === 0) return Promise.resolve();
    // The socket keeps the bytes until they are sent: the next batch gets a buffer of its own.
    this.writer = undefined;
    return this.connection.write(w.buf.subarray(0, w.pos));
  }
}
