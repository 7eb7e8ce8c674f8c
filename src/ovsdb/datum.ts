/**
 * OVSDB data (RFC 7047 5.1) in both directions: the wire's tagged arrays (`["uuid", ..]`,
 * `["set", [..]]`, `["map", [[k, v], ..]]`) and the values code works with: Uuid objects,
 * arrays for sets, Maps for maps. With a column type, a set column is always an array and a
 * one-element set sent as a bare atom is recognised.
 */
import type { JsonValue } from './json-stream';

export interface Uuid {
  readonly uuid: string;
}
export interface NamedUuid {
  readonly namedUuid: string;
}

export type Atom = string | number | bigint | boolean | Uuid | NamedUuid;
export type Datum = Atom | readonly Atom[] | ReadonlyMap<Atom, Atom>;

export class OvsdbDataError extends Error {
  override readonly name = 'OvsdbDataError';
}

export const uuid = (u: string): Uuid => ({ uuid: u });
export const namedUuid = (n: string): NamedUuid => ({ namedUuid: n });

export function isUuid(v: unknown): v is Uuid {
  return typeof v === 'object' && v !== null && typeof (v as Uuid).uuid === 'string';
}

export interface ColumnType {
  readonly key: string;
  readonly value?: string;
  readonly min: number;
  /** Infinity for "unlimited". */
  readonly max: number;
}

export function isSetType(t: ColumnType): boolean {
  return t.value === undefined && (t.max !== 1 || t.min !== 1);
}

function atomFromWire(v: JsonValue, where: string): Atom {
  if (Array.isArray(v)) {
    if (v.length === 2 && v[0] === 'uuid' && typeof v[1] === 'string') return uuid(v[1]);
    if (v.length === 2 && v[0] === 'named-uuid' && typeof v[1] === 'string') return namedUuid(v[1]);
    throw new OvsdbDataError(`${where}: ${JSON.stringify(v)} is not an atom`);
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean')
    return v;
  throw new OvsdbDataError(`${where}: ${JSON.stringify(v)} is not an atom`);
}

/** A wire datum as a value; `type` (the column's) makes sets and maps come out in one shape. */
export function datumFromWire(v: JsonValue, type?: ColumnType, where = 'datum'): Datum {
  if (Array.isArray(v) && v[0] === 'set' && Array.isArray(v[1])) {
    const items = v[1].map((x) => atomFromWire(x, where));
    return type !== undefined && !isSetType(type) && items.length === 1 ? items[0]! : items;
  }
  if (Array.isArray(v) && v[0] === 'map' && Array.isArray(v[1])) {
    const m = new Map<Atom, Atom>();
    for (const pair of v[1]) {
      if (!Array.isArray(pair) || pair.length !== 2)
        throw new OvsdbDataError(`${where}: bad map pair ${JSON.stringify(pair)}`);
      m.set(mapKey(atomFromWire(pair[0]!, where)), atomFromWire(pair[1]!, where));
    }
    return m;
  }
  const atom = atomFromWire(v, where);
  return type !== undefined && isSetType(type) ? [atom] : atom;
}

/** Map keys that are uuids are kept as their string, so lookups work by value. */
function mapKey(a: Atom): Atom {
  return isUuid(a) ? a.uuid : a;
}

function atomToWire(a: Atom): JsonValue {
  if (typeof a === 'object') return 'uuid' in a ? ['uuid', a.uuid] : ['named-uuid', a.namedUuid];
  return a;
}

export function datumToWire(d: Datum): JsonValue {
  if (d instanceof Map) return ['map', [...d].map(([k, v]) => [atomToWire(k), atomToWire(v)])];
  if (Array.isArray(d)) return ['set', d.map(atomToWire)];
  return atomToWire(d as Atom);
}
