/**
 * 1,000 logical ports in 10 networks on one dummy OVS, created by one batch call with their
 * OVS ports present: every flow arrives, and one more port then changes only its own flows
 * and its network's flood flow. Durations are printed, not asserted (machine speed varies).
 */
import { addDummyPort, cleanupAll, dummyPortArgs, type OvsInstance, startOvs } from '../../../harness';
import { type L2Controller, l2FlowLines, startL2Controller, until } from './l2-controller';

afterAll(cleanupAll);

const N = 1000;
const NETS = 10;
const mac = (i: number) =>
  `02:00:00:01:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;

describe('l2 at 1,000 ports', () => {
  let ovs: OvsInstance;
  let c: L2Controller;

  it('converges, and one more port costs 7 flow-mods and recompiles only its network', async () => {
    ovs = await startOvs({ dummy: true, systemId: 'host-s' });
    c = await startL2Controller(ovs);
    await ovs.addBridge('br0', { controllerPort: c.ofPort, protocols: 'OpenFlow13' });
    const args: string[] = [];
    for (let i = 0; i < N; i++) args.push('--', ...dummyPortArgs(ovs, `s${i}`, { ifaceId: `lp${i}` }));
    await ovs.vsctl(...args.slice(1));
    await c.call('createphysicalnetwork', { id: 'p', type: 'vlan', vlanrange: [[1, 100]] });
    await c.call('createlogicalnetworks', {
      networks: Array.from({ length: NETS }, (_, n) => ({ id: `net${n}`, physicalnetwork: 'p' })),
    });
    await c.call('createsubnets', {
      subnets: Array.from({ length: NETS }, (_, n) => ({
        id: `sub${n}`,
        logicalnetwork: `net${n}`,
        cidr: `10.${n}.0.0/16`,
      })),
    });
    const t0 = Date.now();
    await c.call('createlogicalports', {
      ports: Array.from({ length: N }, (_, i) => ({
        id: `lp${i}`,
        logicalnetwork: `net${i % NETS}`,
        subnet: `sub${i % NETS}`,
        mac_address: mac(i),
      })),
    });
    const tApi = Date.now();
    const compiled = await until(
      async () => {
        const st = (await c.runtime.call('l2', 'l2status', {})) as { compiles: number };
        return st.compiles >= NETS || undefined;
      },
      'networks compiled',
      120_000,
    ).then(() => Date.now());
    await until(() => c.sync.status()[0]!.desired >= N * 6 + NETS || undefined, 'declared', 120_000);
    await c.sync.idle(c.sync.status()[0]!.datapathId);
    const synced = Date.now();
    console.log(
      `compiled ${compiled - tApi} ms after the API call; switch synced (barrier) ${synced - tApi} ms after it`,
    );
    // Per port: ingress, unicast, 4 port security; per network: the flood flow.
    const want = N * 6 + NETS;
    await until(
      async () => (await l2FlowLines(ovs)).length === want || undefined,
      `${want} l2 flows`,
      120_000,
    );
    const tFlows = Date.now();
    const dpid = c.sync.status()[0]!.datapathId;
    await c.sync.idle(dpid);
    const before = c.sync.status()[0]!.flowMods;
    const status = (await c.runtime.call('l2', 'l2status', {})) as { compiles: number; flushes: number };
    console.log(
      `1,000 ports: API call ${tApi - t0} ms, flows installed ${tFlows - tApi} ms after it; ${status.flushes} flushes, ${status.compiles} network compilations`,
    );

    const compilesBefore = status.compiles;
    const t1 = Date.now();
    await addDummyPort(ovs, 'sx', { ifaceId: 'lpx' });
    await c.call('createlogicalport', {
      id: 'lpx',
      logicalnetwork: 'net3',
      subnet: 'sub3',
      mac_address: '02:00:00:02:00:01',
    });
    await until(async () => (await l2FlowLines(ovs)).length === want + 6 || undefined, 'one more port');
    await c.sync.idle(dpid);
    console.log(`one more port: ${Date.now() - t1} ms (OVS port add included)`);
    expect(c.sync.status()[0]!.flowMods - before).toBe(7);
    // Only its network was recompiled (once when the OVS port came, once when the API call did).
    const after = (await c.runtime.call('l2', 'l2status', {})) as { compiles: number };
    expect(after.compiles - compilesBefore).toBeLessThanOrEqual(2);
  });
});
