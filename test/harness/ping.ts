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
