/**
 * struct(): a C struct of the spec declared once as an ordered object of fields. The value
 * type is inferred from the declaration; the decoder and encoder are compiled from it into
 * one straight-line function each (so a struct costs a few byte operations per field, not
 * a loop over field descriptors).
 */
import type { Codec } from './codec';
import type { Cursor } from './cursor';
import type { ConstantField, LengthField, PadField, ScalarField, SizeOfField } from './fields';
import { type FieldContext, H } from './runtime';
import type { Writer } from './writer';

export type FieldSpec =
  | ScalarField<unknown>
  | PadField
  | ConstantField
  | LengthField
  | SizeOfField
  | Codec<unknown>;

type Hidden = PadField | ConstantField | LengthField | SizeOfField;
type FieldValue<F> = F extends ScalarField<infer T> ? T : F extends Codec<infer T> ? T : never;

/** The value type of a struct declaration: every field that is not pad/constant/length/size. */
export type StructValue<F> = {
  readonly [K in keyof F as F[K] extends Hidden ? never : K]: FieldValue<F[K]>;
};

type Simplify<T> = { [K in keyof T]: T[K] } & {};

export type TaggedValue<Tag extends string, F> = Simplify<{ readonly type: Tag } & StructValue<F>>;

export interface StructCodec<T> extends Codec<T> {
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

function isCodec(f: FieldSpec): f is Codec<unknown> {
  return !('kind' in f);
}

function scalarOf(f: FieldSpec): ScalarField<unknown> | undefined {
  if (isCodec(f)) return undefined;
  switch (f.kind) {
    case 'scalar':
      return f;
    case 'constant':
    case 'length':
    case 'sizeOf':
      return f.scalar;
    case 'pad':
      return undefined;
  }
}

/** Bytes a field takes when its size never varies, else undefined. */
function staticSize(f: FieldSpec): number | undefined {
  if (isCodec(f)) return f.fixedSize;
  if (f.kind === 'pad') return f.size;
  return scalarOf(f)!.size;
}

export function struct<const Tag extends string, const F extends Record<string, FieldSpec>>(
  name: string,
  fields: F,
  options: { readonly tag: Tag },
): StructCodec<TaggedValue<Tag, F>>;
export function struct<const F extends Record<string, FieldSpec>>(
  name: string,
  fields: F,
): StructCodec<Simplify<StructValue<F>>>;
export function struct(
  name: string,
  fields: Record<string, FieldSpec>,
  options?: { readonly tag: string },
): StructCodec<Record<string, unknown>> {
  return compileStruct(name, fields, options?.tag);
}

function compileStruct(
  name: string,
  fields: Record<string, FieldSpec>,
  tag: string | undefined,
): StructCodec<Record<string, unknown>> {
  const entries = Object.entries(fields);
  if (tag !== undefined && 'type' in fields && !isHidden(fields.type!)) {
    throw new Error(`struct ${name}: a tagged struct cannot have a value field named "type"`);
  }
  const lengths = entries.filter(([, f]) => !isCodec(f) && f.kind === 'length');
  if (lengths.length > 1) throw new Error(`struct ${name}: more than one length field`);
  const lengthField = lengths[0]?.[1] as LengthField | undefined;
  const sizeOfs = new Map<string, string>(); // target -> size field key
  for (const [k, f] of entries) {
    if (!isCodec(f) && f.kind === 'sizeOf') {
      const targetIndex = entries.findIndex(([t]) => t === f.target);
      if (targetIndex < 0 || targetIndex < entries.findIndex(([t]) => t === k)) {
        throw new Error(`struct ${name}: sizeOf ${k} must name a later field, not ${f.target}`);
      }
      if (!isCodec(entries[targetIndex]![1])) throw new Error(`struct ${name}: ${f.target} is not a codec`);
      sizeOfs.set(f.target, k);
    }
  }

  const K: unknown[] = [];
  const ref = (x: unknown): string => {
    K.push(x);
    return `K[${K.length - 1}]`;
  };
  const ctx = (field: string, expect: string): string => ref({ struct: name, field, expect } as FieldContext);
  const q = JSON.stringify;
  const local = (k: string) => `f_${k.replace(/\W/g, '_')}`;

  // Minimum length: all fixed-size fields (nested codecs of variable size count as 0).
  const minLength = entries.reduce((n, [, f]) => n + (staticSize(f) ?? 0), 0);

  const segments = segment(entries);

  // ---- decoder ----
  const dec: string[] = ['const b = cur.buf; const start = cur.pos; let p = start; let lim = end;'];
  for (const seg of segments) {
    if (seg.kind === 'codec') {
      const { key, codec } = seg;
      const sizeKey = sizeOfs.get(key);
      if (sizeKey !== undefined) {
        const s = `${local(sizeKey)}`;
        dec.push(
          `if (p + ${s} > lim) throw H.decodeError(${q(name)}, ${q(`${key}: size `)} + ${s} + ' runs past the end', p);`,
          `cur.pos = p; const ${local(key)} = ${ref(codec)}.decode(cur, p + ${s});`,
          `if (cur.pos !== p + ${s}) throw H.decodeError(${q(name)}, ${q(`${key}: size `)} + ${s} + ' but ' + (cur.pos - p) + ' bytes used', p);`,
          'p = cur.pos;',
        );
      } else {
        dec.push(`cur.pos = p; const ${local(key)} = ${ref(codec)}.decode(cur, lim); p = cur.pos;`);
      }
      continue;
    }
    // A run of fixed fields: one bounds check, static offsets.
    const body: string[] = [];
    for (const { key: k, field: g, at } of seg.fields) {
      switch (g.kind) {
        case 'scalar':
          body.push(`const ${local(k)} = ${g.read('b', at)};`);
          break;
        case 'pad':
          break;
        case 'constant':
          body.push(
            `if (${g.scalar.read('b', at)} !== ${g.value}) throw H.decodeError(${q(name)}, ${q(`${k} must be ${g.value}, is `)} + ${g.scalar.read('b', at)}, ${at});`,
          );
          break;
        case 'sizeOf':
          body.push(`const ${local(k)} = ${g.scalar.read('b', at)};`);
          break;
        case 'length': {
          body.push(
            `const len = ${g.scalar.read('b', at)};`,
            `if (len < ${minLength}) throw H.decodeError(${q(name)}, 'length ' + len + ' is less than the minimum ${minLength}', start);`,
          );
          if (g.align > 1 && g.includePadding) {
            body.push(
              `if (len % ${g.align} !== 0) throw H.decodeError(${q(name)}, 'length ' + len + ' is not a multiple of ${g.align}', start);`,
            );
          }
          body.push(
            `if (start + len > end) throw H.decodeError(${q(name)}, 'length ' + len + ' runs past the end (' + (end - start) + ' bytes left)', start);`,
            'lim = start + len;',
          );
          break;
        }
      }
    }
    dec.push(
      `if (p + ${seg.size} > lim) throw H.truncated(${q(name)}, p, ${seg.size}, lim);`,
      ...body,
      `p += ${seg.size};`,
    );
  }
  if (lengthField) {
    if (lengthField.align > 1 && lengthField.includePadding) {
      // The length counts the padding after the last field: at most align-1 bytes may remain.
      dec.push(
        `if (lim - p >= ${lengthField.align}) throw H.decodeError(${q(name)}, (lim - p) + ' bytes left over after the last field', p);`,
        'p = lim;',
      );
    } else {
      dec.push(
        `if (p !== lim) throw H.decodeError(${q(name)}, (lim - p) + ' bytes left over after the last field', p);`,
      );
    }
    if (lengthField.align > 1 && !lengthField.includePadding) {
      const a = lengthField.align;
      dec.push(
        `p = start + ((len + ${a - 1}) & ~${a - 1});`,
        `if (p > end) throw H.truncated(${q(name)}, lim, p - lim, end);`,
      );
    }
  }
  const valueKeys = entries.filter(([, f]) => !isHidden(f)).map(([k]) => k);
  const literal = [
    ...(tag !== undefined ? [`type: ${q(tag)}`] : []),
    ...valueKeys.map((k) => `${q(k)}: ${local(k)}`),
  ];
  dec.push('cur.pos = p;', `return { ${literal.join(', ')} };`);

  // ---- encoder ----
  const enc: string[] = [
    `if (v === null || typeof v !== 'object') throw H.fail(${ctx('(value)', 'an object')}, v);`,
    'const start = w.pos; let p = start; let b;',
  ];
  let lenAt: string | undefined;
  for (const seg of segments) {
    if (seg.kind === 'codec') {
      const { key, codec } = seg;
      const sizeKey = sizeOfs.get(key);
      enc.push(`w.pos = p; ${ref(codec)}.encode(w, v[${q(key)}]); `);
      if (sizeKey !== undefined) {
        const sf = fields[sizeKey] as SizeOfField;
        enc.push(
          `{ const size = w.pos - p; const at = ${local(sizeKey)}_at; b = w.buf; ${sf.scalar.write('b', 'at', 'size', ctx(sizeKey, `${sf.scalar.expect} (the size of ${key})`))} }`,
        );
      }
      enc.push('p = w.pos;');
      continue;
    }
    const body: string[] = [];
    for (const { key: k, field: g, at } of seg.fields) {
      switch (g.kind) {
        case 'scalar':
          body.push(`{ const x = v[${q(k)}]; ${g.write('b', at, 'x', ctx(k, g.expect))} }`);
          break;
        case 'pad':
          body.push(g.size <= 8 ? zeroBytes('b', at, g.size) : `b.fill(0, ${at}, ${at} + ${g.size});`);
          break;
        case 'constant':
          body.push(`{ const x = ${g.value}; ${g.scalar.write('b', at, 'x', ctx(k, g.scalar.expect))} }`);
          break;
        case 'sizeOf':
          body.push(`const ${local(k)}_at = ${at};`);
          break;
        case 'length':
          lenAt = 'lenAt';
          body.push(`const lenAt = ${at};`);
          break;
      }
    }
    enc.push(`w.pos = p; w.ensure(${seg.size}); b = w.buf;`, ...body, `p += ${seg.size};`);
  }
  if (lengthField && lenAt) {
    const a = lengthField.align;
    const lctx = ctx(
      '(length)',
      `a struct of at most ${lengthField.scalar.expect.replace('an integer 0..', '')} bytes`,
    );
    if (a > 1) {
      enc.push(
        'let len = p - start;',
        `const padded = (len + ${a - 1}) & ~${a - 1};`,
        'if (padded > len) { w.pos = p; w.zeros(padded - len); p = w.pos; }',
        lengthField.includePadding ? 'len = padded;' : '',
      );
    } else {
      enc.push('const len = p - start;');
    }
    enc.push(`b = w.buf; ${lengthField.scalar.write('b', 'lenAt', 'len', lctx)}`);
  }
  enc.push('w.pos = p;');

  const decode = new Function(
    'H',
    'K',
    `return function decode_${local(name)}(cur, end) {\n${dec.join('\n')}\n}`,
  )(H, K) as (cur: Cursor, end: number) => Record<string, unknown>;
  const encode = new Function(
    'H',
    'K',
    `return function encode_${local(name)}(w, v) {\n${enc.join('\n')}\n}`,
  )(H, K) as (w: Writer, v: Record<string, unknown>) => void;

  const sizes = entries.map(([, f]) => staticSize(f));
  let fixedSize: number | undefined = sizes.every((s) => s !== undefined)
    ? sizes.reduce<number>((n, s) => n + s!, 0)
    : undefined;
  if (fixedSize !== undefined && lengthField && lengthField.align > 1) {
    fixedSize = Math.ceil(fixedSize / lengthField.align) * lengthField.align;
  }

  return {
    name,
    fields,
    fixedSize,
    decode,
    encode,
    tags: tag !== undefined ? [tag] : [],
    constantAt(offset: number, width: number): number | undefined {
      let at = 0;
      for (const [, f] of entries) {
        if (at > offset) return undefined;
        if (isCodec(f)) {
          const c = f.constantAt(offset - at, width);
          if (c !== undefined || f.fixedSize === undefined) return c;
        } else if (f.kind === 'constant' && at === offset && f.scalar.size === width) {
          return f.value;
        }
        const s = staticSize(f);
        if (s === undefined) return undefined;
        at += s;
      }
      return undefined;
    },
  };
}

type FixedField = Exclude<FieldSpec, Codec<unknown>>;

/** Fields split into nested codecs and runs of fixed fields at static offsets from the run's start. */
type Segment =
  | { readonly kind: 'codec'; readonly key: string; readonly codec: Codec<unknown> }
  | {
      readonly kind: 'run';
      readonly size: number;
      readonly fields: readonly { readonly key: string; readonly field: FixedField; readonly at: string }[];
    };

function segment(entries: readonly (readonly [string, FieldSpec])[]): Segment[] {
  const out: Segment[] = [];
  let run: { key: string; field: FixedField; at: string }[] = [];
  let size = 0;
  const close = () => {
    if (run.length > 0) out.push({ kind: 'run', size, fields: run });
    run = [];
    size = 0;
  };
  for (const [key, f] of entries) {
    if (isCodec(f)) {
      close();
      out.push({ kind: 'codec', key, codec: f });
      continue;
    }
    run.push({ key, field: f, at: size === 0 ? 'p' : `p + ${size}` });
    size += f.kind === 'pad' ? f.size : scalarOf(f)!.size;
  }
  close();
  return out;
}

function isHidden(f: FieldSpec): boolean {
  return !isCodec(f) && f.kind !== 'scalar';
}

function zeroBytes(b: string, at: string, n: number): string {
  const out: string[] = [];
  for (let k = 0; k < n; k++) out.push(`${b}[${at} + ${k}] = 0;`);
  return out.join(' ');
}
