/** Reachability from a namespace, by ping (for end-to-end tests). */
import { execFile } from 'node:child_process';
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

/** What one `ping -c N` run reported: requests sent, replies received, and its output. */
export interface PingSummary {
  readonly transmitted: number;
  readonly received: number;
  readonly text: string;
}

/**
 * `count` pings 0.1 s apart from `ns` to `address` (a chunk of a continuous ping); ping
 * itself waits up to 5 s for the last replies before it summarizes, so a late reply is not
 * counted as lost. Never rejects: a run that printed no summary has `transmitted` -1.
 */
export function pingChunk(ns: Pick<Netns, 'name'>, address: string, count: number): Promise<PingSummary> {
  return new Promise((resolve) => {
    execFile(
      'ip',
      ['netns', 'exec', ns.name, 'ping', '-n', '-q', '-c', String(count), '-i', '0.1', '-W', '5', address],
      { timeout: 120_000 },
      (_err, stdout, stderr) => {
        const m = /(\d+) packets transmitted, (\d+) received/.exec(stdout);
        resolve({
          transmitted: m ? Number(m[1]) : -1,
          received: m ? Number(m[2]) : -1,
          text: `${stdout}${stderr}`,
        });
      },
    );
  });
}

/** A continuous ping in chunks, started by `startChunkedPing`. */
export interface ChunkedPing {
  /** Lets the running chunk finish, runs one more whole chunk, and gives every chunk's summary. */
  finish(): Promise<readonly PingSummary[]>;
}

/**
 * Pings `address` from `ns` in back-to-back chunks of `count` until `finish`. The chunk
 * started after `finish` is called covers whatever happened just before it.
 */
export function startChunkedPing(ns: Pick<Netns, 'name'>, address: string, count: number): ChunkedPing {
  let finishing = false;
  const summaries: PingSummary[] = [];
  const loop = (async () => {
    let last = false;
    while (!last) {
      last = finishing;
      summaries.push(await pingChunk(ns, address, count));
    }
  })();
  return {
    async finish() {
      finishing = true;
      await loop;
      return summaries;
    },
  };
}
