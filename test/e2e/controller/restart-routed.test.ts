/**
 * A controller restart during continuous routed pings loses no packet and leaves the routed
 * flows untouched. The built CLI, configured through its Web API only: two logical networks
 * whose DHCP-configured "VMs" (namespaces on a userspace OVS) reach each other through one
 * virtual router, and a static route through a router VM whose port has
 * `allowed_address_pairs` for the network behind it. The router's stored number (`routerno`)
 * is not its order of appearance (a router made and deleted first), so a controller that
 * numbered routers per process would renumber it and reinstall its flows. While A pings B and
 * the network behind the router VM every 0.1 s, the controller is stopped with SIGTERM and
 * started again (same store and flags); the switch, in fail_mode secure, keeps its flows, and
 * the restarted controller reads them back and sends nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addInternalPort,
  cleanupAll,
  createNetns,
  dumpFlowsNoStats,
  flowPacketCounts,
  type Netns,
  type OvsInstance,
  type PingSummary,
  pingChunk,
  pingOutput,
  startChunkedPing,
  startDhclient,
  startOvs,
} from '../../harness';
import { type CliController, startCliController, until } from './cli-controller';

afterAll(cleanupAll);
const dir = mkdtempSync(join(tmpdir(), 'vlcp-e2e-rrestart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The default of module.flowsync.removalhold, given explicitly so the test knows it. */
const REMOVAL_HOLD_S = 10;
const COUNT = 20;
const B = '10.42.2.11';
/** On the router VM's loopback, behind it: reached through the router's static route. */
const BEHIND = '192.168.52.1';
const L3_COOKIE = /cookie=0x564c4c33([0-9a-f]{8})/;

interface SyncStatus {
  readonly datapathid: string;
  readonly connected: boolean;
  readonly desired: number;
  readonly flowmods: number;
  readonly groupmods: number;
  readonly resyncs: number;
  readonly failures: number;
}

/** The router numbers the l3 cookies of `flows` carry, ascending. */
function routerNumbers(flows: readonly string[]): number[] {
  const nos = new Set<number>();
  for (const f of flows) {
    const m = L3_COOKIE.exec(f);
    if (m) nos.add(Number.parseInt(m[1]!, 16));
  }
  return [...nos].sort((x, y) => x - y);
}

/** Requests sent by the chunks; throws with ping's output if any chunk lost one. */
function sentWithoutLoss(what: string, summaries: readonly PingSummary[]): number {
  for (const s of summaries) {
    expect(s.transmitted).toBe(COUNT);
    if (s.received !== COUNT) throw new Error(`a ping run ${what} lost packets:\n${s.text}`);
  }
  return summaries.reduce((n, s) => n + s.transmitted, 0);
}

/** A value of the Prometheus text, 0 when the metric has no sample yet. */
function metric(text: string, name: string): number {
  const m = new RegExp(`^${name} (\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

describe('a controller restart during continuous routed pings', () => {
  let ovs: OvsInstance;
  let ctl: CliController;
  const vm: Record<'a' | 'b' | 'r', Netns> = {} as Record<'a' | 'b' | 'r', Netns>;
  let routerno = 0;

  beforeAll(async () => {
    ovs = await startOvs({ systemId: 'e2e-rrestart' });
    ctl = await startCliController({
      ovsdb: `unix:${ovs.dbSock}`,
      cwd: dir,
      extra: ['--set', `module.flowsync.removalhold=${REMOVAL_HOLD_S}`],
    });
    await ovs.addBridge('br0', { controllerPort: ctl.ofPort, protocols: 'OpenFlow13', failMode: 'secure' });
    await ctl.call('viperflow/createphysicalnetwork', { id: 'pn', type: 'vlan', vlanrange: [[220, 230]] });
    await ctl.call('viperflow/createlogicalnetworks', {
      networks: [
        { id: 'na', physicalnetwork: 'pn' },
        { id: 'nb', physicalnetwork: 'pn' },
      ],
    });
    await ctl.call('viperflow/createsubnets', {
      subnets: [
        { id: 'sa', logicalnetwork: 'na', cidr: '10.42.1.0/24', gateway: '10.42.1.1' },
        { id: 'sb', logicalnetwork: 'nb', cidr: '10.42.2.0/24', gateway: '10.42.2.1' },
      ],
    });
    const ports = [
      {
        id: 'a',
        logicalnetwork: 'na',
        subnet: 'sa',
        mac_address: '02:00:00:42:01:0a',
        ip_address: '10.42.1.10',
      },
      { id: 'b', logicalnetwork: 'nb', subnet: 'sb', mac_address: '02:00:00:42:02:0b', ip_address: B },
      {
        id: 'r',
        logicalnetwork: 'nb',
        subnet: 'sb',
        mac_address: '02:00:00:42:02:05',
        ip_address: '10.42.2.5',
        allowed_address_pairs: [{ ip_address: '192.168.52.0/24' }],
      },
    ] as const;
    await ctl.call('viperflow/createlogicalports', { ports });
    for (const p of ports) {
      vm[p.id] = await createNetns(`rr${p.id}`);
      const { ifname } = await addInternalPort(ovs, 'br0', vm[p.id], { ifaceId: p.id, mac: p.mac_address });
      const dhcp = startDhclient(vm[p.id], ifname);
      await dhcp.bound();
      expect(dhcp.lease()).toMatchObject({ new_ip_address: p.ip_address });
    }
    await vm.r.exec('ip', 'link', 'set', 'lo', 'up');
    await vm.r.exec('ip', 'addr', 'add', `${BEHIND}/32`, 'dev', 'lo');

    // Router "old" takes the first number and goes: "vr" is number 2 for good.
    await ctl.call('vrouterapi/createvirtualrouter', { id: 'old' });
    await ctl.call('vrouterapi/deletevirtualrouter', { id: 'old' });
    const [vr] = await ctl.call<{ routerno: number }[]>('vrouterapi/createvirtualrouter', { id: 'vr' });
    routerno = vr!.routerno;
    await ctl.call('vrouterapi/addrouterinterfaces', {
      interfaces: [
        { router: 'vr', subnet: 'sa' },
        { router: 'vr', subnet: 'sb' },
      ],
    });
    await ctl.call('vrouterapi/updatevirtualrouter', {
      id: 'vr',
      routes: [['192.168.52.0/24', '10.42.2.5']],
    });
  }, 600_000);

  afterAll(async () => {
    await ctl?.stop();
  });

  it('loses no packet, keeps every flow, counter and router number, and sends no flow-mod', async () => {
    expect(routerno).toBeGreaterThan(1);
    // Converged: a clean chunk on both paths, each a routed round trip (TTL 63 back).
    for (const dst of [B, BEHIND])
      await until(
        async () => (await pingChunk(vm.a, dst, COUNT)).received === COUNT || undefined,
        `ping ${dst}`,
      );
    expect(await pingOutput(vm.a, B)).toMatch(/ttl=63/);
    expect(await pingOutput(vm.a, BEHIND)).toMatch(/ttl=63/);
    const [statusBefore] = await ctl.get<SyncStatus[]>('flowsync/status');
    const before = await dumpFlowsNoStats(ovs);
    const countsBefore = await flowPacketCounts(ovs);
    expect(routerNumbers(before)).toEqual([routerno]);
    // The routed flows that count A's requests: to B's port and the static route's prefix.
    const l3Flow = (match: string) => {
      const fs = [...countsBefore.keys()].filter((f) => L3_COOKIE.test(f) && f.includes(match));
      expect({ match, flows: fs.length }).toEqual({ match, flows: 1 });
      return fs[0]!;
    };
    const toB = l3Flow(`nw_dst=${B} `);
    const toBehind = l3Flow('nw_dst=192.168.52.0/24 ');

    const pingB = startChunkedPing(vm.a, B, COUNT);
    const pingBehind = startChunkedPing(vm.a, BEHIND, COUNT);
    const first = ctl.run();
    await ctl.restart();
    expect(ctl.run()).not.toBe(first);
    await ctl.run().waitForLog('switch up');
    // Read back, and every flow the first controller had declared again.
    const statusRead = await until(async () => {
      const [s] = await ctl.get<SyncStatus[]>('flowsync/status');
      return (s?.connected && s.resyncs >= 1 && s.desired === statusBefore!.desired && s) || undefined;
    }, 'the restarted controller reading the switch back and declaring every flow');
    // The hold ends REMOVAL_HOLD_S after start; whatever it would have removed is gone by then.
    await new Promise((r) => setTimeout(r, (REMOVAL_HOLD_S + 3) * 1000));
    const sentToB = sentWithoutLoss(`to ${B}`, await pingB.finish());
    const sentBehind = sentWithoutLoss(`to ${BEHIND}`, await pingBehind.finish());
    expect(sentToB).toBeGreaterThan(COUNT);
    expect(sentBehind).toBeGreaterThan(COUNT);

    // Nothing sent by the restarted process: not while reading back, not after the hold.
    const [statusAfter] = await ctl.get<SyncStatus[]>('flowsync/status');
    expect(statusRead.flowmods).toBe(0);
    expect(statusAfter).toMatchObject({ connected: true, flowmods: 0, groupmods: 0, failures: 0 });
    const metrics = await (await fetch(`${ctl.api}/metrics`)).text();
    expect({
      flowMods: metric(metrics, 'vlcp_flowsync_flow_mods_total'),
      groupMods: metric(metrics, 'vlcp_flowsync_group_mods_total'),
      failures: metric(metrics, 'vlcp_flowsync_failures_total'),
    }).toEqual({ flowMods: 0, groupMods: 0, failures: 0 });
    expect(metric(metrics, 'vlcp_flowsync_resyncs_total')).toBeGreaterThanOrEqual(1);

    const after = await dumpFlowsNoStats(ovs);
    expect(after).toEqual(before);
    expect(routerNumbers(after)).toEqual([routerno]);
    // Not deleted and re-added either: every counter kept running (a re-added flow starts
    // from 0), and each routed flow counted at least every request sent meanwhile. OVS folds
    // datapath counters into n_packets periodically: the last requests may show a moment later.
    const countsAfter = await until(async () => {
      const c = await flowPacketCounts(ovs);
      const grew = (f: string) => (c.get(f) ?? 0) - countsBefore.get(f)!;
      return (grew(toB) >= sentToB && grew(toBehind) >= sentBehind && c) || undefined;
    }, `the routed flows counting all ${sentToB} + ${sentBehind} requests`);
    expect([...countsAfter.keys()].sort()).toEqual([...countsBefore.keys()].sort());
    for (const [flow, n] of countsBefore)
      expect({ flow, kept: countsAfter.get(flow)! >= n }).toEqual({ flow, kept: true });
    // Warnings and worse (pino level 40+) from either process.
    expect([first, ctl.run()].flatMap((run) => run.logs().filter((l) => (l.level as number) >= 40))).toEqual(
      [],
    );
  }, 600_000);
});
