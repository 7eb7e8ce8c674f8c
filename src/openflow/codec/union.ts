/**
 * union(): a family of structs told apart by a type code at a fixed offset (actions by
 * ofp_action_header.type, messages by ofp_header.type, ...). Each case declares its code as
 * a constant field, so the union learns the codes from the cases themselves; on encode it
 * picks the case by the value's `type` string. Unions nest: an experimenter case can itself
 * be a union on the experimenter id, then on the subtype.
 */
import type { Codec } from './codec';
import type { Cursor } from './cursor';
import { DecodeError, EncodeError, truncated } from './errors';
import type { Writer } from './writer';

export interface UnionOptions<F> {
  /** Byte offset of the type code from the start of the struct. */
  readonly at: number;
  readonly width: 1 | 2 | 4;
  /** Decodes any code no case claims (raw experimenter data, ...); else that is an error. */
  readonly fallback?: Codec<F>;
}

type CaseValue<C> = C extends Codec<infer T> ? T : never;

/**
 * The tag → case table of each union made here. An outer union encodes a nested union's
 * tags straight with the nested case (one dispatch instead of one per level); a copy of a
 * union with its own encode is a different object, not in this map, so it is still called.
 */
const SMALL_CODES = 64;

const tagTables = new WeakMap<Codec<unknown>, ReadonlyMap<string, Codec<unknown>>>();

function readCode(buf: Buffer, p: number, width: 1 | 2 | 4): number {
  return width === 1 ? buf[p]! : width === 2 ? (buf[p]! << 8) | buf[p + 1]! : buf.readUInt32BE(p);
}

export function union<const C extends readonly Codec<unknown>[], F = never>(
  name: string,
  cases: C,
  options: UnionOptions<F>,
): Codec<CaseValue<C[number]> | F> {
  const { at, width, fallback } = options;
  const byCode = new Map<number, Codec<unknown>>();
  const byTag = new Map<string, Codec<unknown>>();
  for (const c of cases) {
    const code = c.constantAt(at, width);
    if (code === undefined)
      throw new Error(`union ${name}: case ${c.name} has no constant code at byte ${at}`);
    if (byCode.has(code))
      throw new Error(`union ${name}: code ${code} claimed by ${byCode.get(code)!.name} and ${c.name}`);
    byCode.set(code, c);
    const nested = tagTables.get(c);
    for (const t of c.tags) {
      if (byTag.has(t)) throw new Error(`union ${name}: tag ${t} appears twice`);
      byTag.set(t, nested?.get(t) ?? c);
    }
  }
  if (fallback) {
    const nested = tagTables.get(fallback);
    for (const t of fallback.tags) byTag.set(t, nested?.get(t) ?? fallback);
  }
  const need = at + width;
  // Small codes (message, action, instruction types) index an array: cheaper than a Map.
  const small: (Codec<unknown> | undefined)[] = new Array(SMALL_CODES).fill(undefined);
  for (const [code, c] of byCode) if (code < SMALL_CODES) small[code] = c;

  // All cases share a constant before `at` (a version byte, an experimenter's type), or not.
  const sharedConstant = (offset: number, w: number): number | undefined => {
    let value: number | undefined;
    for (const c of fallback ? [...cases, fallback] : cases) {
      const v = c.constantAt(offset, w);
      if (v === undefined || (value !== undefined && v !== value)) return undefined;
      value = v;
    }
    return value;
  };
  const sizes = new Set(cases.map((c) => c.fixedSize));
  if (fallback) sizes.add(fallback.fixedSize);

  const codec: Codec<CaseValue<C[number]> | F> = {
    name,
    fixedSize: sizes.size === 1 ? [...sizes][0] : undefined,
    tags: [...byTag.keys()],
    constantAt: (offset, w) => (offset === at && w === width ? undefined : sharedConstant(offset, w)),
    decode(cur: Cursor, end: number) {
      const p = cur.pos;
      if (p + need > end) throw truncated(name, p, need, end);
      const code = readCode(cur.buf, p + at, width);
      const c = (code < SMALL_CODES ? small[code] : byCode.get(code)) ?? fallback;
      if (c === undefined) throw new DecodeError(name, `unknown type ${code}`, p + at);
      return c.decode(cur, end) as CaseValue<C[number]> | F;
    },
    encode(w: Writer, value: CaseValue<C[number]> | F) {
      const tag = (value as { type?: unknown } | null)?.type;
      const c = typeof tag === 'string' ? byTag.get(tag) : undefined;
      if (c === undefined) {
        throw new EncodeError(
          name,
          'type',
          `unknown type ${JSON.stringify(tag)} (one of ${[...byTag.keys()].join(', ')})`,
        );
      }
      c.encode(w, value);
    },
  };
  tagTables.set(codec as Codec<unknown>, byTag);
  return codec;
}
