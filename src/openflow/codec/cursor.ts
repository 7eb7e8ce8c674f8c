/**
 * The read position in a buffer being decoded. Decoders take a cursor and the offset they
 * must not read past, and leave the cursor after what they consumed; one mutable cursor per
 * message avoids allocating a (value, offset) pair for every field.
 */
export class Cursor {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}
}
