/**
 * Network namespaces for tests: created with unique short names, recorded in the owning
 * instance folder (so a killed test run's namespaces are reclaimed) and deleted on cleanup.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { instanceDir, registerCleanup } from './cleanup';
import type { OvsInstance } from './ovs';
import { registerStop } from './register-stop';
import { run } from './run';

let counter = 0;

/** A short name unique to this process: Linux interface names are at most 15 characters. */
export function uniqueName(prefix: string): string {
  counter++;
  const name = `${prefix}${(process.pid % 100000).toString(36)}${counter.toString(36)}`;
  if (name.length > 15) throw new Error(`name ${name} is longer than 15 characters; use a shorter prefix`);
  return name;
}

export interface Netns {
  readonly name: string;
  /** Runs a command inside the namespace. */
  exec(command: string, ...args: string[]): Promise<string>;
  delete(): Promise<void>;
}

let registryDir: string | undefined;

export async function createNetns(prefix = 'ns'): Promise<Netns> {
  const name = uniqueName(prefix);
  if (registryDir === undefined) {
    const dir = instanceDir('netns');
    registryDir = dir;
    // Registered before any namespace, so it runs after they are all deleted.
    const forget = () => {
      rmSync(dir, { recursive: true, force: true });
      registryDir = undefined;
    };
    registerCleanup({ what: 'netns registry', run: async () => forget(), runSync: forget });
  }
  appendFileSync(join(registryDir, 'netns'), `${name}\n`);
  await run('ip', ['netns', 'add', name]);
  await run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  const del = registerStop(
    `netns ${name}`,
    async () => {
      await run('ip', ['netns', 'delete', name]).catch(() => undefined);
    },
    () => {
      try {
        execFileSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
      } catch {
        // Already gone.
      }
    },
  );
  return {
    name,
    exec: (command, ...args) => run('ip', ['netns', 'exec', name, command, ...args]),
    delete: del,
  };
}

export interface PortInNetns {
  /** The OVS port name. */
  readonly port: string;
  readonly netns: Netns;
  /** The interface name inside the namespace. */
  readonly ifname: string;
}

/**
 * A veth pair: one end added to the OVS bridge, the other moved into the namespace as
 * `ifname`, optionally with an address. Works on any OVS, tap-free.
 */
export async function addVethPort(
  ovs: OvsInstance,
  bridge: string,
  netns: Netns,
  options: { ifname?: string; address?: string; mac?: string; ifaceId?: string } = {},
): Promise<PortInNetns> {
  const port = uniqueName('vp');
  const peer = uniqueName('vq');
  const ifname = options.ifname ?? 'eth0';
  await run('ip', ['link', 'add', port, 'type', 'veth', 'peer', 'name', peer]);
  await run('ip', ['link', 'set', peer, 'netns', netns.name]);
  if (ovs.netns !== undefined) await run('ip', ['link', 'set', port, 'netns', ovs.netns]);
  await netns.exec('ip', 'link', 'set', peer, 'name', ifname);
  if (options.mac) await netns.exec('ip', 'link', 'set', ifname, 'address', options.mac);
  await netns.exec('ip', 'link', 'set', ifname, 'up');
  if (options.address) await netns.exec('ip', 'addr', 'add', options.address, 'dev', ifname);
  await run('ip', [...inNs(ovs.netns), 'link', 'set', port, 'up']);
  const ifaceId = options.ifaceId
    ? ['--', 'set', 'interface', port, `external_ids:iface-id=${options.ifaceId}`]
    : [];
  await ovs.vsctl('add-port', bridge, port, ...ifaceId);
  return { port, netns, ifname };
}

/**
 * An OVS internal port moved into the namespace — the way VLCP's tutorial plugs in a "VM".
 * The interface keeps its OVS name inside the namespace.
 */
export async function addInternalPort(
  ovs: OvsInstance,
  bridge: string,
  netns: Netns,
  options: { address?: string; mac?: string; ifaceId?: string } = {},
): Promise<PortInNetns> {
  const port = uniqueName('ip');
  const extra = [
    ...(options.ifaceId ? [`external_ids:iface-id=${options.ifaceId}`] : []),
    ...(options.mac ? [`mac="${options.mac}"`] : []),
  ];
  await ovs.vsctl('add-port', bridge, port, '--', 'set', 'interface', port, 'type=internal', ...extra);
  // ovs-vswitchd creates the tap device asynchronously.
  for (let i = 0; ; i++) {
    try {
      await run('ip', [...inNs(ovs.netns), 'link', 'show', port]);
      break;
    } catch (e) {
      if (i > 100) throw new Error(`internal port ${port} never appeared as a device: ${String(e)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  await run('ip', [...inNs(ovs.netns), 'link', 'set', port, 'netns', netns.name]);
  if (options.mac) await netns.exec('ip', 'link', 'set', port, 'address', options.mac);
  await netns.exec('ip', 'link', 'set', port, 'up');
  if (options.address) await netns.exec('ip', 'addr', 'add', options.address, 'dev', port);
  return { port, netns, ifname: port };
}

/** `ip` arguments that run a command in `netns` (nothing for the root namespace). */
function inNs(netns: string | undefined): string[] {
  return netns === undefined ? [] : ['-n', netns];
}

/** The OpenFlow port number OVS gave `port`. */
export async function ofport(ovs: OvsInstance, port: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const n = Number((await ovs.vsctl('get', 'interface', port, 'ofport')).trim());
    if (n > 0) return n;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} got no OpenFlow port number`);
}
