/**
 * What l2 modules on different hosts share through ObjectDB (docs/pipeline.md):
 * - `l2.vtep.<systemid>` = `{systemid, address}`: the VXLAN tunnel endpoint address of a host,
 *   from its vxlan interface's `options:local_ip`; written by that host's controller.
 * - `l2.location.<logical port id>` = `{logicalport, systemid}`: the host a logical port is bound on;
 *   written by that host's controller when the port appears, deleted when it goes.
 * Each key has one writer (the host it describes), so hosts never contend for a key.
 */
import { type Key, toKey } from '../../objectdb';
import { escapeComponent } from '../viperflow';

export const VTEP_PREFIX = 'l2.vtep.';
export const LOCATION_PREFIX = 'l2.location.';

export function vtepKey(systemId: string): Key {
  return toKey(`${VTEP_PREFIX}${escapeComponent(systemId)}`);
}

export function locationKey(logicalPortId: string): Key {
  return toKey(`${LOCATION_PREFIX}${escapeComponent(logicalPortId)}`);
}
