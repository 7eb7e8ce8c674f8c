/**
 * Which viperflow physical port objects can describe a local OVS interface, most specific
 * first, as VLCP looks them up: the object for this system id and bridge, then this system
 * id on any bridge (`%`), then any system id on this bridge, then any system id and bridge.
 * `vhost` is the controller's OVSDB vhost, always `''` here (one OVSDB manager per node).
 */
import type { Key } from '../../objectdb';
import { physicalPortKey } from '../viperflow';

export const ANY = '%';

export function physicalPortCandidates(p: {
  readonly systemId: string | undefined;
  readonly bridge: string;
  readonly name: string;
}): Key[] {
  const systemIds = p.systemId !== undefined && p.systemId !== ANY ? [p.systemId, ANY] : [ANY];
  const bridges = p.bridge !== ANY ? [p.bridge, ANY] : [ANY];
  const keys: Key[] = [];
  for (const systemid of systemIds) {
    for (const bridge of bridges) keys.push(physicalPortKey({ vhost: '', systemid, bridge, name: p.name }));
  }
  return keys;
}
