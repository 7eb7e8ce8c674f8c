/**
 * Datapath ids are 64-bit: `bigint` in code. OVS reports them as 16 hex digits
 * (Bridge.datapath_id); API callers give a decimal number or string, or `0x` hex.
 */
import { Type } from '@sinclair/typebox';
import { ApiInputError } from '../runtime';

const MAX = (1n << 64n) - 1n;

/** The datapath id in Bridge.datapath_id, or undefined when OVS has not assigned one yet. */
export function datapathIdFromOvsdb(text: string | undefined): bigint | undefined {
  if (text === undefined || !/^[0-9a-fA-F]{1,16}$/.test(text)) return undefined;
  return BigInt(`0x${text}`);
}

/** 16 hex digits, the way OVS prints it. */
export function formatDatapathId(id: bigint): string {
  return id.toString(16).padStart(16, '0');
}

/** The API parameter schema for a datapath id. */
export const DatapathIdParam = Type.Union(
  [Type.Integer({ minimum: 0 }), Type.String({ pattern: '^(\\d{1,20}|0[xX][0-9a-fA-F]{1,16})$' })],
  { description: 'datapath id: a whole number, its decimal string, or 0x followed by hex digits' },
);

/** Reads a validated DatapathIdParam; a value past 64 bits is an ApiInputError naming `parameter`. */
export function datapathIdParam(value: number | string, parameter: string): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new ApiInputError(
      `parameter ${parameter}: ${value} is past 2^53 and was rounded; give it as a string`,
      400,
      parameter,
    );
  }
  const id = BigInt(value);
  if (id > MAX)
    throw new ApiInputError(`parameter ${parameter}: ${value} does not fit in 64 bits`, 400, parameter);
  return id;
}
