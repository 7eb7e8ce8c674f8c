/** Lists of references kept in sets and maps, and how errors name what they point at. */
import { type Ref, ref } from '../../objectdb';
import { idOfKey, type Kind, unescapeComponent } from './keys';

export function addRef(list: Ref[], key: string): void {
  if (!list.some((r) => r.$ref === key)) list.push(ref(key));
}

export function removeRef(list: Ref[], key: string): void {
  const i = list.findIndex((r) => r.$ref === key);
  if (i >= 0) list.splice(i, 1);
}

const KIND_NAMES: readonly [Kind, string][] = [
  ['physicalnetwork', 'physical network'],
  ['logicalnetwork', 'logical network'],
  ['logicalport', 'logical port'],
  ['subnet', 'subnet'],
];

/** `logical network ln-1`, or the key itself for a kind viperflow does not own. */
export function describeRef(r: Ref): string {
  const port = /^viperflow\.physicalport\.([^.]*)\.([^.]*)\.([^.]*)\.([^.]*)$/.exec(r.$ref);
  if (port) {
    const [vhost, systemid, bridge, name] = port.slice(1).map(unescapeComponent);
    return `physical port ${name} (vhost ${JSON.stringify(vhost)}, systemid ${systemid}, bridge ${bridge})`;
  }
  for (const [kind, name] of KIND_NAMES) {
    const id = idOfKey(kind, r.$ref);
    if (id !== null) return `${name} ${id}`;
  }
  return r.$ref;
}

/** `logical ports a, b, c and 7 more` */
export function describeRefs(refs: readonly Ref[], limit = 10): string {
  const shown = refs.slice(0, limit).map(describeRef);
  return refs.length > limit ? `${shown.join(', ')} and ${refs.length - limit} more` : shown.join(', ');
}
