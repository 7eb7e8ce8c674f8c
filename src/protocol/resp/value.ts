/** RESP values (RESP2 and RESP3), one variant per wire type. */

export type RespPair = readonly [RespValue, RespValue];

export type RespValue =
  | { readonly type: 'simple'; readonly value: string }
  | { readonly type: 'error'; readonly value: string }
  | { readonly type: 'integer'; readonly value: bigint }
  /** `$-1` in RESP2 is a bulk string whose value is null. */
  | { readonly type: 'bulk'; readonly value: Buffer | null }
  /** `*-1` in RESP2 is an array whose value is null. */
  | { readonly type: 'array'; readonly value: readonly RespValue[] | null }
  | { readonly type: 'null' }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'double'; readonly value: number }
  | { readonly type: 'bignum'; readonly value: bigint }
  | { readonly type: 'bulkError'; readonly value: Buffer }
  /** `format` is the three-letter type, e.g. `txt` or `mkd`. */
  | { readonly type: 'verbatim'; readonly format: string; readonly value: Buffer }
  | { readonly type: 'map'; readonly value: readonly RespPair[] }
  | { readonly type: 'set'; readonly value: readonly RespValue[] }
  /** RESP3 attributes travel in front of the value they describe. */
  | { readonly type: 'attribute'; readonly attributes: readonly RespPair[]; readonly value: RespValue }
  | { readonly type: 'push'; readonly value: readonly RespValue[] };

/** A command as a client sends it: an array of bulk strings. */
export function respCommand(...args: readonly (string | Buffer | number | bigint)[]): RespValue {
  return {
    type: 'array',
    value: args.map((a) => ({ type: 'bulk', value: Buffer.isBuffer(a) ? a : Buffer.from(String(a)) })),
  };
}

/** A plain JavaScript view of a reply, for callers that do not care about wire types. */
export type RespPlain =
  | string
  | bigint
  | number
  | boolean
  | null
  | Buffer
  | RespPlain[]
  | Map<RespPlain, RespPlain>;

export class RespReplyError extends Error {
  override readonly name = 'RespReplyError';
  constructor(readonly reply: string) {
    super(reply);
  }
}

/** Bulk strings become UTF-8 strings; errors are thrown as RespReplyError. */
export function respToPlain(v: RespValue): RespPlain {
  switch (v.type) {
    case 'simple':
      return v.value;
    case 'error':
      throw new RespReplyError(v.value);
    case 'bulkError':
      throw new RespReplyError(v.value.toString());
    case 'integer':
    case 'bignum':
    case 'double':
    case 'boolean':
      return v.value;
    case 'bulk':
    case 'verbatim':
      return v.value === null ? null : v.value.toString();
    case 'null':
      return null;
    case 'array':
      return v.value === null ? null : v.value.map(respToPlain);
    case 'set':
    case 'push':
      return v.value.map(respToPlain);
    case 'map':
      return new Map(v.value.map(([k, x]) => [respToPlain(k), respToPlain(x)]));
    case 'attribute':
      return respToPlain(v.value);
  }
}
