/**
 * What the unit-test pipeline evaluators (l2, l3) share: flows grouped by table, highest
 * priority first, and whether a flow's match holds for a packet's field values.
 */
import type { Flow, Flow13 } from '../../../src/modules/flowsync';

/** Each table's flows, highest priority first (the order OpenFlow tries them in). */
export function flowsByTable(flows: readonly Flow<Flow13>[]): Map<number, Flow<Flow13>[]> {
  const byTable = new Map<number, Flow<Flow13>[]>();
  for (const f of flows) {
    const list = byTable.get(f.table) ?? [];
    list.push(f);
    byTable.set(f.table, list);
  }
  for (const list of byTable.values()) list.sort((a, b) => b.priority - a.priority);
  return byTable;
}

function ipNumber(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

/** Whether every field of `f`'s match (masks included) holds for `state` (packet fields by OXM name). */
export function matchesFlow(f: Flow<Flow13>, state: Readonly<Record<string, unknown>>): boolean {
  for (const field of f.value.match.fields) {
    if (field.field === 'raw') return false;
    const have = state[field.field];
    if (have === undefined) return false;
    const mask = 'mask' in field ? field.mask : undefined;
    if (typeof field.value === 'bigint') {
      const m = (mask as bigint | undefined) ?? -1n;
      if (((have as bigint) & m) !== (field.value & m)) return false;
    } else if (typeof field.value === 'number') {
      const m = (mask as number | undefined) ?? 0xffffffff;
      if (((have as number) & m) !== (field.value & m)) return false;
    } else if (
      field.field === 'ipv4_dst' ||
      field.field === 'ipv4_src' ||
      ((field.field === 'arp_spa' || field.field === 'arp_tpa') && mask !== undefined)
    ) {
      // Prefix matches: routes, and allowed address pairs (IPv4 and ARP sources).
      const m = mask === undefined ? 0xffffffff : ipNumber(mask as string);
      if ((ipNumber(have as string) & m) >>> 0 !== (ipNumber(field.value as string) & m) >>> 0) return false;
    } else {
      if (mask !== undefined) throw new Error(`evaluator: masked ${field.field}`);
      if (String(have).toLowerCase() !== String(field.value).toLowerCase()) return false;
    }
  }
  return true;
}
