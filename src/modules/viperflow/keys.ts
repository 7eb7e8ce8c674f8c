/**
 * ObjectDB keys of the logical-network model, in VLCP's style: `viperflow.<kind>.<id>` for an
 * object, `viperflow.<kind>set` listing every object of a kind, `viperflow.<kind>map.<id>` for
 * what points at an object (its children and allocations). Ids are escaped so that any string
 * (dots, slashes, spaces, non-ASCII) makes a valid key and two ids never share one.
 */
import { InvalidKeyError, type Key, toKey } from '../../objectdb';

export type Kind = 'physicalnetwork' | 'physicalport' | 'logicalnetwork' | 'subnet' | 'logicalport';

const PREFIX = 'viperflow';

/**
 * Percent-escapes everything but [A-Za-z0-9_~-] (so `.` separates components unambiguously).
 * A string with a lone UTF-16 surrogate has no UTF-8 form and is refused.
 */
export function escapeComponent(text: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch {
    throw new InvalidKeyError(text, 'contains a lone UTF-16 surrogate');
  }
  return encoded.replace(/[.!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function unescapeComponent(text: string): string {
  return decodeURIComponent(text);
}

export function objectKey(kind: Kind, id: string): Key {
  const key = toKey(`${PREFIX}.${kind}.${escapeComponent(id)}`);
  // An id whose map key would be too long is refused here, where callers name the field.
  if (kind === 'physicalnetwork' || kind === 'logicalnetwork' || kind === 'subnet') mapKey(kind, id);
  return key;
}

export function setKey(kind: Kind): Key {
  return toKey(`${PREFIX}.${kind}set`);
}

/** A counter of the kind (`viperflow.logicalnetworkcounter`: the next network number). */
export function counterKey(kind: 'logicalnetwork'): Key {
  return toKey(`${PREFIX}.${kind}counter`);
}

/** Children and allocations of a physical network, logical network or subnet. */
export function mapKey(kind: 'physicalnetwork' | 'logicalnetwork' | 'subnet', id: string): Key {
  return toKey(`${PREFIX}.${kind}map.${escapeComponent(id)}`);
}

/** The identity of a physical port: VLCP keys it by where it applies and its name. */
export interface PhysicalPortId {
  readonly vhost: string;
  readonly systemid: string;
  readonly bridge: string;
  readonly name: string;
}

/** `viperflow.physicalport.<vhost>.<systemid>.<bridge>.<name>` */
export function physicalPortKey(p: PhysicalPortId): Key {
  return toKey(
    `${PREFIX}.physicalport.${[p.vhost, p.systemid, p.bridge, p.name].map(escapeComponent).join('.')}`,
  );
}

/** The id an object key names (the part after `viperflow.<kind>.`), or null for another kind. */
export function idOfKey(kind: Kind, key: string): string | null {
  const prefix = `${PREFIX}.${kind}.`;
  return key.startsWith(prefix) ? unescapeComponent(key.slice(prefix.length)) : null;
}

/** The map key of the object `key` names (`viperflow.logicalnetwork.x` -> `viperflow.logicalnetworkmap.x`). */
export function mapKeyOf(kind: 'physicalnetwork' | 'logicalnetwork' | 'subnet', key: string): Key {
  const id = idOfKey(kind, key);
  if (id === null) throw new Error(`${key} is not a ${kind} key`);
  return mapKey(kind, id);
}
