/**
 * Two Open vSwitch "hosts" for end-to-end tests (REAL-COMPONENTS.md, two hosts): each a
 * network namespace with its own ovsdb-server and ovs-vswitchd and its own system-id, joined
 * by a veth underlay. On each host, `br-phy` holds the underlay veth and the host's VTEP
 * address, and the integration bridge `br-int` (OpenFlow 1.3, pointed at the host's
 * controller) has the VXLAN port `vxlan0` (remote and key from the flows) and, if asked, one
 * end of a veth VLAN trunk between the two integration bridges.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { registerCleanup } from './cleanup';
import { startControllerRelay } from './controller-relay';
import { createNetns, type Netns, uniqueName } from './netns';
import { type OvsInstance, startOvs } from './ovs';
import { run } from './run';

/** What the helper needs of a host's controller: where it listens for OpenFlow. */
export interface HostController {
  /** The controller listens on tcp:127.0.0.1:ofPort of the test process' namespace. */
  readonly ofPort: number;
}

export interface TwoHostsOptions<C extends HostController> {
  /** Each host's `external_ids:system-id`, also the prefix of its namespace's name. */
  readonly systemIds: readonly [string, string];
  /** Each host's underlay (VTEP) address, both in one /24. */
  readonly underlay: readonly [string, string];
  /** Also join the two integration bridges by a veth (a VLAN trunk). */
  readonly trunk?: boolean;
  /**
   * Starts a host's controller once its OVS runs and before `br-int` exists (the bridge is
   * created already pointed at it). Runs in the test process; the switch reaches it through
   * a relay (its loopback is the host namespace's).
   */
  startController(ovs: OvsInstance, systemId: string): Promise<C>;
}

export interface OvsHost<C extends HostController> {
  readonly systemId: string;
  readonly ns: Netns;
  readonly ovs: OvsInstance;
  readonly ctl: C;
  /** The host's VTEP address (on `br-phy`). */
  readonly underlay: string;
  /** The trunk's port on this host's `br-int` (the name differs per host); undefined without `trunk`. */
  readonly trunk: string | undefined;
}

/** Both hosts, started one after the other, with the underlay already answering both ways. */
export async function startTwoHosts<C extends HostController>(
  options: TwoHostsOptions<C>,
): Promise<readonly [OvsHost<C>, OvsHost<C>]> {
  const veth = [uniqueName('ul'), uniqueName('ul')] as const;
  const trunk = options.trunk ? ([uniqueName('tr'), uniqueName('tr')] as const) : undefined;
  // Deleting one end deletes the pair; a pair already moved into a namespace goes with it.
  const dropLinks = () => {
    for (const link of [veth[0], ...(trunk ? [trunk[0]] : [])])
      try {
        execFileSync('ip', ['link', 'delete', link], { stdio: 'ignore' });
      } catch {
        // Gone already (moved into a namespace, deleted with it).
      }
  };
  registerCleanup({
    what: 'two-host underlay and trunk veths',
    run: async () => dropLinks(),
    runSync: dropLinks,
  });
  await run('ip', ['link', 'add', veth[0], 'type', 'veth', 'peer', 'name', veth[1]]);
  if (trunk) await run('ip', ['link', 'add', trunk[0], 'type', 'veth', 'peer', 'name', trunk[1]]);
  const start = (i: 0 | 1) =>
    startHost(options, options.systemIds[i], options.underlay[i], veth[i], trunk?.[i]);
  const h1 = await start(0);
  const h2 = await start(1);
  // One ping each way fills OVS's tunnel neighbour cache (tnl/neigh) on both hosts.
  await underlayPings(h1.ns, h2.underlay);
  await underlayPings(h2.ns, h1.underlay);
  return [h1, h2];
}

async function startHost<C extends HostController>(
  options: TwoHostsOptions<C>,
  systemId: string,
  underlay: string,
  veth: string,
  trunk: string | undefined,
): Promise<OvsHost<C>> {
  const ns = await createNetns(systemId);
  await run('ip', ['link', 'set', veth, 'netns', ns.name]);
  if (trunk !== undefined) await run('ip', ['link', 'set', trunk, 'netns', ns.name]);
  const ovs = await startOvs({ netns: ns.name, systemId });
  await ovs.addBridge('br-phy', { failMode: 'standalone' });
  await ovs.vsctl('add-port', 'br-phy', veth);
  await ns.exec('ip', 'link', 'set', veth, 'up');
  await ns.exec('ip', 'addr', 'add', `${underlay}/24`, 'dev', 'br-phy');
  await ns.exec('ip', 'link', 'set', 'br-phy', 'up');
  const ctl = await options.startController(ovs, systemId);
  const relay = await startControllerRelay(join(ovs.dir, 'br-int.ctl-relay'), ctl.ofPort);
  registerCleanup({
    what: `controller relay of ${systemId}`,
    run: () => relay.close(),
    runSync: () => undefined,
  });
  await ovs.addBridge('br-int', { controller: `unix:${relay.path}`, protocols: 'OpenFlow13' });
  // Remote VTEP and VNI come from the flows (tun_dst, tun_id).
  const vxlan = ['type=vxlan', 'options:remote_ip=flow', 'options:key=flow', `options:local_ip=${underlay}`];
  await ovs.vsctl('add-port', 'br-int', 'vxlan0', '--', 'set', 'interface', 'vxlan0', ...vxlan);
  if (trunk !== undefined) {
    await ns.exec('ip', 'link', 'set', trunk, 'up');
    await ovs.vsctl('add-port', 'br-int', trunk);
  }
  return { systemId, ns, ovs, ctl, underlay, trunk };
}

/** Pings `address` from `ns` until one is answered; bounded (a loaded machine is slow, not this slow). */
async function underlayPings(ns: Netns, address: string): Promise<void> {
  let last = '';
  for (let i = 0; i < 120; i++) {
    try {
      await ns.exec('ping', '-n', '-c', '1', '-W', '1', address);
      return;
    } catch (e) {
      last = String(e);
    }
  }
  throw new Error(`underlay ${address} never answered from ${ns.name}: ${last}`);
}
