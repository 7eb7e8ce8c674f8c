/**
 * `ovs-appctl ofproto/trace` as the oracle: what the switch would do with a packet,
 * reduced to where it goes — a list of `PORT` or `PORT@vlan=VID` (datapath actions
 * mapped back to OVS port names), empty when it is dropped.
 */
import { eventually, type OvsInstance } from '../../../harness';

/** Datapath port number -> OVS port name, from `dpif/show` (`name ofport/dpport: (type)`). */
export async function datapathPorts(ovs: OvsInstance): Promise<Map<string, string>> {
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

/** OpenFlow port number -> OVS port name, from `dpif/show`. */
async function openflowPorts(ovs: OvsInstance): Promise<Map<string, string>> {
  const out = await ovs.appctl('dpif/show');
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const r = /^\s+(\S+) (\d+)\/\d+:/.exec(line);
    if (r) m.set(r[2]!, r[1]!);
  }
  return m;
}

/**
 * The OpenFlow-level outputs of a trace, with the tunnel metadata set before each: `PORT`
 * or `PORT@tun_dst=A,tun_id=0xN` (outputs OVS skipped as the input port left out), sorted.
 * For tunnel ports, whose datapath actions depend on underlay routes a dummy OVS lacks.
 */
export async function traceTunnels(ovs: OvsInstance, bridge: string, flow: string): Promise<string[]> {
  const lines = (await ovs.appctl('ofproto/trace', bridge, flow)).split('\n').map((l) => l.trim());
  const names = await openflowPorts(ovs);
  let tunDst: string | undefined;
  let tunId: string | undefined;
  const out: string[] = [];
  lines.forEach((l, i) => {
    const set = /^set_field:(\S+)->(tun_dst|tun_id)$/.exec(l);
    if (set) {
      if (set[2] === 'tun_dst') tunDst = set[1];
      else tunId = set[1];
      return;
    }
    const o = /^output:(\d+)$/.exec(l);
    if (!o || lines[i + 1]?.startsWith('>> skipping output to input port')) return;
    const name = names.get(o[1]!) ?? `of${o[1]}`;
    out.push(tunDst !== undefined ? `${name}@tun_dst=${tunDst},tun_id=${tunId}` : name);
  });
  return out.sort();
}

/** Waits until `how` traces `flow` to `want` (flows are installed asynchronously), then checks it. */
export async function expectTrace(
  ovs: OvsInstance,
  flow: string,
  want: readonly string[],
  how: (ovs: OvsInstance, bridge: string, flow: string) => Promise<string[]> = trace,
): Promise<void> {
  const sorted = [...want].sort();
  const got = await eventually(
    () => how(ovs, 'br0', flow),
    (l) => JSON.stringify(l) === JSON.stringify(sorted),
    `trace ${flow} -> ${want.join(',')}`,
  );
  expect(got).toEqual(sorted);
}
