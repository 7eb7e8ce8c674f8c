/**
 * ObjectDB keys of virtual routers, in VLCP's style: `vrouterapi.virtualrouter.<id>` for a
 * router, `vrouterapi.virtualrouterset` listing every router, `vrouterapi.virtualroutermap.<id>`
 * for its interfaces, `vrouterapi.routerport.<id>` for an interface,
 * `vrouterapi.virtualroutercounter` for router numbers. Ids are escaped as
 * viperflow escapes them, so any string is an id and two ids never share a key.
 */
import { type Key, toKey } from '../../objectdb';
import { escapeComponent, unescapeComponent } from '../viperflow/keys';

const PREFIX = 'vrouterapi';

export type RouterKind = 'virtualrouter' | 'routerport';

export function routerKey(id: string): Key {
  const key = toKey(`${PREFIX}.virtualrouter.${escapeComponent(id)}`);
  // An id whose map key would be too long is refused here, where callers name the field.
  routerMapKey(id);
  return key;
}

/** The interfaces of a router: `{id, router: ref, interfaces: [ref]}`. */
export function routerMapKey(id: string): Key {
  return toKey(`${PREFIX}.virtualroutermap.${escapeComponent(id)}`);
}

export function routerSetKey(): Key {
  return toKey(`${PREFIX}.virtualrouterset`);
}

/** `{next}`: the next router number (see router-number.ts). */
export function routerCounterKey(): Key {
  return toKey(`${PREFIX}.virtualroutercounter`);
}

export function routerPortKey(id: string): Key {
  return toKey(`${PREFIX}.routerport.${escapeComponent(id)}`);
}

/** The id an object key of `kind` names, or null for another kind. */
export function idOfRouterKey(kind: RouterKind, key: string): string | null {
  const prefix = `${PREFIX}.${kind}.`;
  return key.startsWith(prefix) ? unescapeComponent(key.slice(prefix.length)) : null;
}

/** `vrouterapi.virtualrouter.x` -> `vrouterapi.virtualroutermap.x` */
export function routerMapKeyOf(key: string): Key {
  const id = idOfRouterKey('virtualrouter', key);
  if (id === null) throw new Error(`${key} is not a virtual router key`);
  return routerMapKey(id);
}
