/**
 * The datapath id: the 64-bit number a switch names itself by in its features reply (OVS
 * shows it as 16 hex digits in `ovs-vsctl get bridge BR datapath_id`).
 */

declare const datapathIdBrand: unique symbol;
export type DatapathId = bigint & { readonly [datapathIdBrand]: true };

const MAX = (1n << 64n) - 1n;

export class DatapathIdError extends Error {
  override readonly name = 'DatapathIdError';
  constructor(
    readonly input: string,
    detail: string,
  ) {
    super(`datapath id ${JSON.stringify(input)}: ${detail}`);
  }
}

/**
 * A datapath id from a bigint, a decimal string, `0x` hex, or 16 bare hex digits as OVS
 * prints them (`0000a2b1c3d4e5f6`, quotes allowed). Exactly 16 digits always read as the OVS
 * hex form, never as decimal: give a 16-digit decimal id as a bigint (the Web API's
 * datapath id parameters are decimal or 0x-hex, never bare hex).
 */
export function toDatapathId(value: bigint | string): DatapathId {
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else {
    const text = value.trim().replace(/^"(.*)"$/, '$1');
    if (/^0x[0-9a-f]{1,16}$/i.test(text)) n = BigInt(text);
    else if (/^[0-9a-f]{16}$/i.test(text)) n = BigInt(`0x${text}`);
    else if (/^\d{1,20}$/.test(text)) n = BigInt(text);
    else throw new DatapathIdError(value, 'expected 16 hex digits, 0x-hex or a decimal number');
  }
  if (n < 0n || n > MAX) throw new DatapathIdError(String(value), 'out of range 0..2^64-1');
  return n as DatapathId;
}

/** 16 lowercase hex digits, as OVS prints it (a DatapathId, or a bigint in its range not branded yet). */
export function formatDatapathId(id: bigint): string {
  return id.toString(16).padStart(16, '0');
}
