/** Reachability from a namespace, by ping (for end-to-end tests). */
import type { Netns } from './netns';
import { until } from './until';

/** Whether one ping from `ns` to `address` is answered within a second. */
export async function pings(ns: Pick<Netns, 'exec'>, address: string): Promise<boolean> {
  try {
    await ns.exec('ping', '-c', '1', '-W', '1', address);
    return true;
  } catch {
    return false;
  }
}

/** Pings until one answers (flows are installed asynchronously); fails after `ms`. */
export function reachable(ns: Netns, address: string, ms = 120_000): Promise<true> {
  return until(() => pings(ns, address), `ping ${address} from ${ns.name}`, ms);
}

/** Three pings, none answered (call it once the flows that would matter are in place). */
export async function unreachable(ns: Pick<Netns, 'exec'>, address: string): Promise<boolean> {
  for (let i = 0; i < 3; i++) if (await pings(ns, address)) return false;
  return true;
}

/** What one ping prints (it exits non-zero when nothing answers; the output says why: time-exceeded, unreachable). */
export function pingOutput(ns: Pick<Netns, 'exec'>, address: string, ...args: string[]): Promise<string> {
  return ns.exec('sh', '-c', `ping -n -c 1 -W 1 ${args.join(' ')} ${address} 2>&1 || true`);
}

/** ICMP echo requests the namespace's kernel has received (`InEchos` of /proc/net/snmp, per namespace). */
export async function icmpInEchos(ns: Pick<Netns, 'exec'>): Promise<number> {
  const lines = (await ns.exec('cat', '/proc/net/snmp')).split('\n').filter((l) => l.startsWith('Icmp:'));
  const names = lines[0]!.split(/\s+/);
  const values = lines[1]!.split(/\s+/);
  return Number(values[names.indexOf('InEchos')]);
}
