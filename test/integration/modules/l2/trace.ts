/**
 * `ovs-appctl ofproto/trace` as the oracle: what the switch would do with a packet,
 * reduced to where it goes — a list of `PORT` or `PORT@vlan=VID` (datapath actions
 * mapped back to OVS port names), empty when it is dropped.
 */
import type { OvsInstance } from '../../../harness';

/** Datapath port number -> OVS port name, from `dpif/show` (`name ofport/dpport: (type)`). */
async function datapathPorts(ovs: OvsInstance): Promise<Map<string, string>> {
  const out = await ovs.appctl('dpif/show');
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const r = /^\s+(\S+) (?:\d+|LOCAL)\/(\d+):/.exec(line);
    if (r) m.set(r[2]!, r[1]!);
  }
  return m;
}

export async function trace(ovs: OvsInstance, bridge: string, flow: string): Promise<string[]> {
  const out = await ovs.appctl('ofproto/trace', bridge, flow);
  const line = out.split('\n').find((l) => l.startsWith('Datapath actions:'));
  if (line === undefined) throw new Error(`no datapath actions in trace of ${flow}:\n${out}`);
  const ports = await datapathPorts(ovs);
  const actions = line.slice('Datapath actions:'.length).trim();
  if (actions === 'drop') return [];
  // Split on commas outside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of actions) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) parts.push(cur);
  let vlan: string | undefined;
  const result: string[] = [];
  for (const p of parts) {
    const push = /^push_vlan\(vid=(\d+)/.exec(p);
    if (push) vlan = push[1];
    else if (p === 'pop_vlan') vlan = undefined;
    else if (/^\d+$/.test(p))
      result.push(`${ports.get(p) ?? `dp${p}`}${vlan !== undefined ? `@vlan=${vlan}` : ''}`);
    else result.push(p);
  }
  return result.sort();
}
