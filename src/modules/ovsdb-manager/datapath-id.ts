/**
 * Datapath ids where the OVSDB manager meets them: OVS reports them as 16 hex digits
 * (Bridge.datapath_id); API callers give a decimal number or string, or `0x` hex. Both read
 * into the one `DatapathId` of the OpenFlow layer, which owns the range and the 16-digit form.
 */
import { Type } from '@sinclair/typebox';
import { type DatapathId, DatapathIdError, toDatapathId } from '../../openflow/protocol';
import { ApiInputError } from '../runtime';

/** The datapath id in Bridge.datapath_id, or undefined when OVS has not assigned one yet. */
export function datapathIdFromOvsdb(text: string | undefined): DatapathId | undefined {
  if (text === undefined || !/^[0-9a-fA-F]{1,16}$/.test(text)) return undefined;
  return toDatapathId(`0x${text}`);
}

/** The API parameter schema for a datapath id. */
export const DatapathIdParam = Type.Union(
  [Type.Integer({ minimum: 0 }), Type.String({ pattern: '^(\\d{1,20}|0[xX][0-9a-fA-F]{1,16})$' })],
  { description: 'datapath id: a whole number, its decimal string, or 0x followed by hex digits' },
);

/** Reads a validated DatapathIdParam; a value past 64 bits is an ApiInputError naming `parameter`. */
export function datapathIdParam(value: number | string, parameter: string): DatapathId {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new ApiInputError(
      `parameter ${parameter}: ${value} is past 2^53 and was rounded; give it as a string`,
      400,
      parameter,
    );
  }
  // BigInt, not toDatapathId(string): the schema's 16-digit decimal strings must stay decimal.
  try {
    return toDatapathId(BigInt(value));
  } catch (e) {
    if (!(e instanceof DatapathIdError)) throw e;
    throw new ApiInputError(`parameter ${parameter}: ${value} does not fit in 64 bits`, 400, parameter);
  }
}
