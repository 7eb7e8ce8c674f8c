/**
 * OFPT_HELLO, the one message read before a version is agreed: its version byte is part of
 * the value, and its elements (OpenFlow 1.3.1+) carry the bitmap of versions the peer speaks.
 */
import { array, constant, length, list, restBytes, struct, u8, u16, u32, union, type ValueOf } from './codec';

const versionBitmap = struct(
  'ofp_hello_elem_versionbitmap',
  {
    elemType: constant(u16, 1),
    length: length(u16, { align: 8, includePadding: false }),
    bitmaps: array(u32),
  },
  { tag: 'versionbitmap' },
);

const unknownElement = struct(
  'ofp_hello_elem_header',
  {
    elemType: u16,
    length: length(u16, { align: 8, includePadding: false }),
    data: restBytes,
  },
  { tag: 'unknown' },
);

export const helloElement = union('ofp_hello_elem', [versionBitmap], {
  at: 0,
  width: 2,
  fallback: unknownElement,
});
export type HelloElement = ValueOf<typeof helloElement>;

export const hello = struct(
  'ofp_hello',
  { version: u8, msgType: constant(u8, 0), length: length(u16), xid: u32, elements: list(helloElement) },
  { tag: 'hello' },
);
export type Hello = ValueOf<typeof hello>;

/** The versions a hello offers: its bitmap when it has one, else every version up to its own. */
export function helloVersions(h: Hello): readonly number[] {
  const bitmap = h.elements.find((e) => e.type === 'versionbitmap');
  if (bitmap && bitmap.type === 'versionbitmap') {
    const out: number[] = [];
    bitmap.bitmaps.forEach((word, i) => {
      for (let bit = 0; bit < 32; bit++) if ((word >>> bit) & 1) out.push(i * 32 + bit);
    });
    return out;
  }
  return Array.from({ length: h.version }, (_, i) => i + 1);
}

/** A hello offering `versions` (highest as the header version, all in a bitmap). */
export function makeHello(versions: readonly number[], xid: number): Hello {
  const top = Math.max(...versions);
  const words = new Array<number>(Math.floor(top / 32) + 1).fill(0);
  for (const v of versions) words[v >> 5] = (words[v >> 5]! | (1 << (v & 31))) >>> 0;
  return { type: 'hello', version: top, xid, elements: [{ type: 'versionbitmap', bitmaps: words }] };
}
