/**
 * ISC dhclient in a test namespace with private files only: its config (-cf), lease (-lf),
 * pid (-pf) and script (-sf) live in a folder of the test's; the script applies the lease
 * with `ip` (address, MTU, routes) and never writes /etc/resolv.conf or system leases.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerCleanup } from './cleanup';
import type { Netns } from './netns';

const CONFIG = `
option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;
request subnet-mask, broadcast-address, routers, domain-name, domain-name-servers,
        interface-mtu, rfc3442-classless-static-routes, ntp-servers;
timeout 120;
`;

/** Debian's dhclient-script for an IPv4 lease, minus resolv.conf (DNS goes to lease-env). */
// A reason is recorded once the script has handled it, and lease-env is replaced whole, so a
// test that sees RENEW in reasons() also sees that renewal's lease (CI once read it half-written).
const SCRIPT = `#!/bin/sh
case "$reason" in
  PREINIT) ip link set dev "$interface" up ;;
  BOUND|RENEW|REBIND|REBOOT)
    env | grep '^new_' | sort > "$OUT/lease-env.tmp" && mv "$OUT/lease-env.tmp" "$OUT/lease-env"
    ip -4 addr flush dev "$interface"
    ip addr add "$new_ip_address/$new_subnet_mask" broadcast "$new_broadcast_address" dev "$interface"
    if [ -n "$new_interface_mtu" ]; then ip link set dev "$interface" mtu "$new_interface_mtu"; fi
    if [ -n "$new_rfc3442_classless_static_routes" ]; then
      set -- $new_rfc3442_classless_static_routes
      while [ $# -gt 0 ]; do
        len=$1; shift
        if [ "$len" -gt 24 ]; then dst="$1.$2.$3.$4"; shift 4
        elif [ "$len" -gt 16 ]; then dst="$1.$2.$3.0"; shift 3
        elif [ "$len" -gt 8 ]; then dst="$1.$2.0.0"; shift 2
        elif [ "$len" -gt 0 ]; then dst="$1.0.0.0"; shift 1
        else dst="0.0.0.0"; fi
        ip route add "$dst/$len" via "$1.$2.$3.$4" dev "$interface"
        shift 4
      done
    elif [ -n "$new_routers" ]; then
      for r in $new_routers; do ip route add default via "$r" dev "$interface"; break; done
    fi
    touch "$OUT/bound"
    ;;
esac
echo "$reason" >> "$OUT/reasons"
exit 0
`;

export interface Dhclient {
  readonly proc: ChildProcess;
  /** Resolves once the lease is applied; throws with dhclient's output if it gives up. */
  bound(): Promise<void>;
  /** The `reason`s dhclient ran the script with, in order (PREINIT, BOUND, RENEW, ...). */
  reasons(): string[];
  /** The `new_*` variables dhclient passed to the script for the lease. */
  lease(): Record<string, string>;
  log(): string;
}

export function startDhclient(ns: Netns, ifname: string): Dhclient {
  const dir = mkdtempSync(join(tmpdir(), 'vlcp-ts-e2e-dhclient-'));
  writeFileSync(join(dir, 'dhclient.conf'), CONFIG);
  writeFileSync(join(dir, 'script'), SCRIPT, { mode: 0o755 });
  const files = (flag: string, name: string) => [flag, join(dir, name)];
  const proc = spawn(
    'ip',
    [
      'netns',
      'exec',
      ns.name,
      'dhclient',
      '-4',
      '-d',
      '-v',
      '-1',
      ...files('-cf', 'dhclient.conf'),
      ...files('-lf', 'dhclient.leases'),
      ...files('-pf', 'dhclient.pid'),
      ...files('-sf', 'script'),
      '-e',
      `OUT=${dir}`,
      ifname,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (d: Buffer) => {
    output += d.toString();
  };
  proc.stdout.on('data', collect);
  proc.stderr.on('data', collect);
  // `ip netns exec` execs dhclient: this pid is dhclient's own.
  const stop = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  registerCleanup({ what: `dhclient in ${ns.name}`, run: async () => stop(), runSync: stop });
  return {
    proc,
    async bound() {
      // Bounded: 180 s covers dhclient's own retries on a loaded machine.
      for (let i = 0; i < 1800; i++) {
        if (existsSync(join(dir, 'bound'))) return;
        if (proc.exitCode !== null) throw new Error(`dhclient in ${ns.name} gave up:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for dhclient bound in ${ns.name}:\n${output}`);
    },
    reasons: () =>
      existsSync(join(dir, 'reasons'))
        ? readFileSync(join(dir, 'reasons'), 'utf8').split('\n').filter(Boolean)
        : [],
    lease: () =>
      Object.fromEntries(
        readFileSync(join(dir, 'lease-env'), 'utf8')
          .split('\n')
          .filter((l) => l.includes('='))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      ),
    log: () => output,
  };
}
