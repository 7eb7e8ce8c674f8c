/**
 * A growable output buffer. Encoders reserve room with `ensure`, write into `buf` at `pos`
 * and advance `pos`; length fields are written as placeholders and patched afterwards.
 */
export class Writer {
  buf: Buffer;
  pos = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Makes room for `n` more bytes after `pos` (the buffer may be replaced). */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Appends `n` zero bytes. */
  zeros(n: number): void {
    this.ensure(n);
    // Padding is a few bytes: stores beat fill()'s call and argument checks.
    if (n <= 16) {
      const b = this.buf;
      const end = this.pos + n;
      for (let p = this.pos; p < end; p++) b[p] = 0;
    } else {
      this.buf.fill(0, this.pos, this.pos + n);
    }
    this.pos += n;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /** The bytes written so far, copied out (the writer may be reused). */
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  /** Starts over, keeping the allocated buffer. */
  reset(): void {
    this.pos = 0;
  }
}
