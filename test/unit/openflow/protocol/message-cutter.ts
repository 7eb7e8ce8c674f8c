/**
 * Cuts a byte stream into whole OpenFlow messages by the length in each header, on its own:
 * test switches and controllers frame what they receive without the parser under test.
 */
export class MessageCutter {
  private pending = Buffer.alloc(0);

  /**
   * Hands `onMessage` each message `chunk` completes, in order (a copy, header included).
   * A header claiming less than its own 8 bytes cannot be cut past: that throws, after the
   * messages before it were handed on.
   */
  feed(chunk: Buffer, onMessage: (message: Buffer) => void): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const length = this.pending.readUInt16BE(2);
      if (length < 8) throw new Error(`OpenFlow header claims length ${length}, under its own 8 bytes`);
      if (this.pending.length < length) break;
      const message = Buffer.from(this.pending.subarray(0, length));
      this.pending = this.pending.subarray(length);
      onMessage(message);
    }
  }
}
