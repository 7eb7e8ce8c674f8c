/**
 * A controller restarted during a continuous ping loses no packet. The built CLI is
 * stopped with SIGTERM and started again with the same store and flags while two
 * namespaces of one logical network ping each other every 0.1 s. With fail_mode secure
 * the switch keeps the flows while no controller is connected; after the restart FlowSync
 * reads them back and, holding removals for `module.flowsync.removalhold` seconds while
 * the compilers catch up, changes nothing.
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
  pingChunk,
  startChunkedPing,
  startOvs,
} from '../../harness';
import { type CliController, startCliController, until } from './cli-controller';

afterAll(cleanupAll);
const dir = mkdtempSync(join(tmpdir(), 'vlcp-e2e-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The default of module.flowsync.removalhold, given explicitly so the test knows it. */
const REMOVAL_HOLD_S = 10;
const COUNT = 20;

describe('a controller restart during a continuous ping', () => {
  let ovs: OvsInstance;
  let ctl: CliController;
  let a: Netns;
  let b: Netns;

  beforeAll(async () => {
    ovs = await startOvs({ systemId: 'e2e-restart' });
    ctl = await startCliController({
      ovsdb: `unix:${ovs.dbSock}`,
      cwd: dir,
      extra: ['--set', `module.flowsync.removalhold=${REMOVAL_HOLD_S}`],
    });
    await ovs.addBridge('br0', { controllerPort: ctl.ofPort, protocols: 'OpenFlow13', failMode: 'secure' });
    await ctl.call('viperflow/createphysicalnetwork', { id: 'pn', type: 'vlan', vlanrange: [[200, 210]] });
    await ctl.call('viperflow/createlogicalnetwork', { id: 'n1', physicalnetwork: 'pn' });
    await ctl.call('viperflow/createsubnet', { id: 's1', logicalnetwork: 'n1', cidr: '10.41.0.0/24' });
    await ctl.call('viperflow/createlogicalports', {
      ports: [
        {
          id: 'ra',
          logicalnetwork: 'n1',
          subnet: 's1',
          mac_address: '02:00:00:41:00:0a',
          ip_address: '10.41.0.10',
        },
        {
          id: 'rb',
          logicalnetwork: 'n1',
          subnet: 's1',
          mac_address: '02:00:00:41:00:0b',
          ip_address: '10.41.0.11',
        },
      ],
    });
    a = await createNetns('rsa');
    b = await createNetns('rsb');
    await addInternalPort(ovs, 'br0', a, {
      ifaceId: 'ra',
      mac: '02:00:00:41:00:0a',
      address: '10.41.0.10/24',
    });
    await addInternalPort(ovs, 'br0', b, {
      ifaceId: 'rb',
      mac: '02:00:00:41:00:0b',
      address: '10.41.0.11/24',
    });
  }, 300_000);

  afterAll(async () => {
    await ctl?.stop();
  });

  it('loses no packet, and the switch keeps exactly the flows it had', async () => {
    // Converged: one clean chunk of pings.
    await until(
      async () => (await pingChunk(a, '10.41.0.11', COUNT)).received === COUNT || undefined,
      'a clean ping run',
    );
    const before = await dumpFlowsNoStats(ovs);
    const countsBefore = await flowPacketCounts(ovs);
    const portOfA = (
      await ovs.vsctl('--bare', '--columns=ofport', 'find', 'interface', 'external_ids:iface-id=ra')
    ).trim();

    // Keeps pinging until the restarted controller has been through its removal hold, plus
    // one whole chunk after that.
    const ping = startChunkedPing(a, '10.41.0.11', COUNT);
    const first = ctl.run();
    await ctl.restart();
    expect(ctl.run()).not.toBe(first);
    await ctl.run().waitForLog('switch up');
    await until(async () => {
      const t = await (await fetch(`${ctl.api}/metrics`)).text();
      return /^vlcp_flowsync_resyncs_total [1-9]/m.test(t) || undefined;
    }, 'the restarted controller read the switch back');
    // The hold ends REMOVAL_HOLD_S after start; whatever it would have removed is gone by then.
    await new Promise((r) => setTimeout(r, (REMOVAL_HOLD_S + 3) * 1000));
    const summaries = await ping.finish();

    const total = summaries.reduce((n, s) => n + s.transmitted, 0);
    expect(total).toBeGreaterThan(COUNT);
    for (const s of summaries) {
      expect(s.transmitted).toBe(COUNT);
      if (s.received !== COUNT) throw new Error(`a ping run lost packets:\n${s.text}`);
    }
    expect(summaries.map((s) => s.text).join('')).toMatch(/ 0% packet loss/);
    expect(await dumpFlowsNoStats(ovs)).toEqual(before);
    // Not deleted and re-added either: every counter kept running (a re-added flow starts
    // from 0), and a's ingress flow counted at least every echo request sent meanwhile.
    const ingressOfA = [...countsBefore.keys()].filter(
      (f) => f.includes('table=0') && f.includes(`in_port=${portOfA} `),
    );
    expect(ingressOfA).toHaveLength(1);
    // OVS folds datapath counters into its flows' n_packets periodically (revalidators): the
    // last echo requests may show up a moment later.
    const countsAfter = await until(async () => {
      const c = await flowPacketCounts(ovs);
      return (c.get(ingressOfA[0]!) ?? 0) - countsBefore.get(ingressOfA[0]!)! >= total ? c : undefined;
    }, `the ingress flow of a counting all ${total} echo requests`);
    expect([...countsAfter.keys()].sort()).toEqual([...countsBefore.keys()].sort());
    for (const [flow, n] of countsBefore)
      expect({ flow, n: countsAfter.get(flow)! >= n }).toEqual({ flow, n: true });
    expect(
      ctl
        .run()
        .logs()
        .filter((l) => (l.level as number) >= 50),
    ).toEqual([]);
  }, 600_000);
});
