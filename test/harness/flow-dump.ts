/**
 * What a bridge of a private OVS holds, read with `ovs-ofctl dump-flows` (OpenFlow 1.3): the
 * oracle of the restart tests, which compare flows and their counters across a controller
 * restart (a flow deleted and re-added loses its counters).
 */
import type { OvsInstance } from './ovs';

/** The bridge's flows without counters and durations, one line each, sorted. */
export async function dumpFlowsNoStats(ovs: Pick<OvsInstance, 'ofctl'>, bridge = 'br0'): Promise<string[]> {
  const out = await ovs.ofctl('--no-stats', '-O', 'OpenFlow13', 'dump-flows', bridge);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('OFPST') && !l.startsWith('OFPMP'))
    .sort();
}

/** n_packets of each flow, keyed by the flow without its counters and durations. */
export async function flowPacketCounts(
  ovs: Pick<OvsInstance, 'ofctl'>,
  bridge = 'br0',
): Promise<Map<string, number>> {
  const out = await ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', bridge);
  const counts = new Map<string, number>();
  for (const line of out.split('\n')) {
    const n = /n_packets=(\d+)/.exec(line);
    if (!n) continue;
    const key = line
      .trim()
      .split(/,? /)
      .filter((f) => !/^(duration|n_packets|n_bytes|idle_age|hard_age)=/.test(f))
      .join(' ');
    counts.set(key, Number(n[1]));
  }
  return counts;
}
