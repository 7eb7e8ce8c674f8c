/**
 * The JSON form of decoded values: bigint as a decimal string, bytes as a hex string.
 * Encoders accept both forms, so `encode(fromJson(toJson(decode(bytes))))` gives the bytes.
 */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

export function toJson(value: unknown): Json {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex');
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
    return out;
  }
  if (
    typeof value === 'number' ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    value === null
  ) {
    return value;
  }
  throw new TypeError(`no JSON form for ${typeof value}`);
}
