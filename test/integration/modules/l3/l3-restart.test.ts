/**
 * A restarted controller finds its routers' flows already right on the switch and sends
 * nothing. The first controller runtime installs two routers (numbers 2 and 3: router 1 was
 * made and deleted first, so numbering by order of appearance would give them 1 and 2 after a
 * restart) on a private dummy OVS with fail_mode secure; it stops, the switch keeps its flows,
 * and a second runtime on the same embedded store takes over the bridge. Once it has read the
 * switch back and declared every flow, FlowSync has sent no flow-mod at all, the flows are
 * the same, and their packet counters kept running (a re-added flow starts from 0).
 *
 * A router stored without a number (as before router numbers) is not routed until it gets
 * one: its flows go, and come back under its new number after an update. Of two routers with
 * one number (a hand-edited store), the later is not routed until the number is free.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_GATEWAY_MAC } from '../../../../src/modules/arp-responder';
import { routerKey } from '../../../../src/modules/vrouter-api';
import type { JsonValue } from '../../../../src/objectdb';
import {
  buildEthernet,
  buildIcmp,
  buildIpv4Packet,
  type Ipv4Address,
  type MacAddress,
} from '../../../../src/openflow/packet';
import { type DatapathId, toDatapathId } from '../../../../src/openflow/protocol';
import {
  addDummyPort,
  cleanupAll,
  dumpFlowsNoStats,
  flowPacketCounts,
  type OvsInstance,
  startOvs,
} from '../../../harness';
import { datapathActions, type L3Controller, startL3Controller, until } from './l3-controller';

afterAll(cleanupAll);
const dir = mkdtempSync(join(tmpdir(), 'l3-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GW = DEFAULT_GATEWAY_MAC;
const MAC = { a: '02:00:00:00:07:0a', b: '02:00:00:00:07:0b', c: '02:00:00:00:07:0c' };
const L3_COOKIE = /cookie=0x564c4c33([0-9a-f]{8})/;

/** Flows of br0 with a cookie (the controller's), without counters and durations, sorted. */
const flows = async (ovs: OvsInstance) =>
  (await dumpFlowsNoStats(ovs)).filter((l) => l.startsWith('cookie='));

/** The router numbers the l3 cookies on br0 carry. */
async function routerNumbersOnSwitch(ovs: OvsInstance): Promise<number[]> {
  const nos = new Set<number>();
  for (const f of await flows(ovs)) {
    const m = L3_COOKIE.exec(f);
    if (m) nos.add(Number.parseInt(m[1]!, 16));
  }
  return [...nos].sort((x, y) => x - y);
}

/** An ICMP echo request from a (10.7.1.10) to `dst`, through the gateway MAC. */
function echoFromA(dst: string): string {
  const icmp = buildIcmp({
    kind: 'echo-request',
    code: 0,
    identifier: 7,
    sequence: 1,
    data: Buffer.from('restart'),
  });
  const ip = buildIpv4Packet({
    dscp: 0,
    ecn: 0,
    identification: 1,
    dontFragment: true,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 64,
    protocol: 1,
    src: '10.7.1.10' as Ipv4Address,
    dst: dst as Ipv4Address,
    payload: icmp,
  });
  return buildEthernet({ dst: GW, src: MAC.a as MacAddress, ethertype: 0x0800, payload: ip }).toString('hex');
}

const ROUTED_TO_B = new RegExp(`set\\(eth\\(src=${GW},dst=${MAC.b}\\)\\),set\\(ipv4\\(.*ttl=63.*\\)\\),pb$`);

describe('l3 flows across a controller restart', () => {
  const storeUrl = `embedded:${join(dir, 'store')}`;
  let ovs: OvsInstance;
  let c: L3Controller;
  let dpid: DatapathId;
  let lastTrace = '';
  const routesAToB = async () => {
    lastTrace = await datapathActions(
      ovs,
      'br0',
      `in_port=pa,dl_src=${MAC.a},dl_dst=${GW},ip,nw_src=10.7.1.10,nw_dst=10.7.2.10,nw_proto=6,nw_ttl=64`,
    );
    return ROUTED_TO_B.test(lastTrace);
  };
  const syncOf = (ctl: L3Controller) => ctl.sync.status().find((s) => s.datapathId === dpid);

  beforeAll(async () => {
    ovs = await startOvs({ dummy: true, systemId: 'l3-restart' });
    c = await startL3Controller(ovs, { storeUrl });
    await ovs.addBridge('br0', { controllerPort: c.ofPort, protocols: 'OpenFlow13', failMode: 'secure' });
    dpid = toDatapathId(await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id'));
    await c.call('createphysicalnetwork', { id: 'pv', type: 'vlan', vlanrange: [[300, 310]] });
    for (const [n, vlan] of [
      ['na', 300],
      ['nb', 301],
      ['nc', 302],
    ] as const)
      await c.call('createlogicalnetwork', { id: n, physicalnetwork: 'pv', vlanid: vlan });
    for (const [s, n, i] of [
      ['sa', 'na', 1],
      ['sb', 'nb', 2],
      ['sc', 'nc', 3],
    ] as const)
      await c.call('createsubnet', {
        id: s,
        logicalnetwork: n,
        cidr: `10.7.${i}.0/24`,
        gateway: `10.7.${i}.1`,
      });
    await c.call('createlogicalports', {
      ports: [
        { id: 'lpa', logicalnetwork: 'na', subnet: 'sa', mac_address: MAC.a, ip_address: '10.7.1.10' },
        { id: 'lpb', logicalnetwork: 'nb', subnet: 'sb', mac_address: MAC.b, ip_address: '10.7.2.10' },
        { id: 'lpc', logicalnetwork: 'nc', subnet: 'sc', mac_address: MAC.c, ip_address: '10.7.3.10' },
      ],
    });
    await addDummyPort(ovs, 'pa', { ifaceId: 'lpa' });
    await addDummyPort(ovs, 'pb', { ifaceId: 'lpb' });
    await addDummyPort(ovs, 'pc', { ifaceId: 'lpc' });
    // Router 1 comes and goes: the routers that stay have numbers 2 and 3.
    await c.call('createvirtualrouter', { id: 'r0' });
    await c.call('createvirtualrouter', { id: 'r1' });
    await c.call('createvirtualrouter', { id: 'r2' });
    await c.call('deletevirtualrouter', { id: 'r0' });
    await c.call('addrouterinterfaces', {
      interfaces: [
        { router: 'r1', subnet: 'sa' },
        { router: 'r1', subnet: 'sb' },
        { router: 'r2', subnet: 'sc' },
      ],
    });
  }, 60_000);

  it('the restarted controller sends no flow-mod: the flows, router numbers and counters stay', async () => {
    await until(
      async () => (await routerNumbersOnSwitch(ovs)).join() === '2,3' || undefined,
      'routers 2 and 3 on br0',
    );
    await until(async () => (await routesAToB()) || undefined, 'a routed to b').catch((e: Error) => {
      throw new Error(`${e.message}: ${lastTrace}`);
    });
    await c.sync.idle(dpid);
    // Three routed packets, so the l3 flows have counters that a re-add would reset.
    for (let i = 0; i < 3; i++) await ovs.appctl('netdev-dummy/receive', 'pa', echoFromA('10.7.2.10'));
    const counted = async () =>
      [...(await flowPacketCounts(ovs))].filter(([f, n]) => L3_COOKIE.test(f) && n > 0).length >= 2 ||
      undefined;
    await until(counted, 'the routed packets counted by l3 flows');
    const desired = syncOf(c)!.desired;
    const before = await flows(ovs);
    const countsBefore = await flowPacketCounts(ovs);
    expect(before.filter((f) => L3_COOKIE.test(f)).length).toBeGreaterThan(10);

    await c.runtime.stop();
    const c2 = await startL3Controller(ovs, { storeUrl });
    await ovs.vsctl('set-controller', 'br0', `tcp:127.0.0.1:${c2.ofPort}`);
    // Converged: the switch was read back and every flow the first controller had is declared.
    await until(() => {
      const s = syncOf(c2);
      return (s?.connected === true && s.resyncs >= 1 && s.desired === desired) || undefined;
    }, 'the new controller declaring every flow');
    await c2.sync.idle(dpid);
    expect(await c2.runtime.call('l3', 'stats', {})).toMatchObject({ routers: 2 });

    expect(syncOf(c2)).toMatchObject({ flowMods: 0, failures: 0 });
    expect(await flows(ovs)).toEqual(before);
    const countsAfter = await flowPacketCounts(ovs);
    expect([...countsAfter.keys()].sort()).toEqual([...countsBefore.keys()].sort());
    for (const [flow, n] of countsBefore)
      expect({ flow, kept: countsAfter.get(flow)! >= n }).toEqual({ flow, kept: true });
    c = c2;
  }, 90_000);

  it('a router stored without a number is not routed until an update numbers it', async () => {
    await c.db.walk(async (tx) => {
      const { routerno: _n, ...rest } = (await tx.get(routerKey('r2'))) as Record<string, JsonValue>;
      tx.set(routerKey('r2'), rest);
    });
    await until(async () => (await routerNumbersOnSwitch(ovs)).join() === '2' || undefined, 'r2 withdrawn');
    // r1 is untouched.
    expect(await routesAToB()).toBe(true);
    await c.call('updatevirtualrouter', { id: 'r2', name: 'numbered again' });
    await until(async () => (await routerNumbersOnSwitch(ovs)).join() === '2,4' || undefined, 'r2 back as 4');
  }, 60_000);

  it('of two routers with one number only the first is routed, until the number is free', async () => {
    const setNumber = (id: string, routerno: number) =>
      c.db.walk(async (tx) => {
        tx.set(routerKey(id), { ...((await tx.get(routerKey(id))) as Record<string, JsonValue>), routerno });
      });
    /** Router number -> the gateway addresses its cookie's flows answer echo for. */
    const gatewaysByNumber = async () => {
      const out = new Map<number, string[]>();
      for (const f of await flows(ovs)) {
        const m = L3_COOKIE.exec(f);
        const gw = /icmp,metadata=\S+,nw_dst=(10\.7\.\d\.1),icmp_type=8/.exec(f);
        if (m && gw) {
          const no = Number.parseInt(m[1]!, 16);
          out.set(no, [...(out.get(no) ?? []), gw[1]!].sort());
        }
      }
      return JSON.stringify([...out].sort(([x], [y]) => x - y));
    };
    const r1Gateways = ['10.7.1.1', '10.7.2.1'];
    await setNumber('r2', 2);
    await until(
      async () => (await gatewaysByNumber()) === JSON.stringify([[2, r1Gateways]]) || undefined,
      'r2 withdrawn, r1 kept as 2',
    );
    await setNumber('r1', 9);
    await until(
      async () =>
        (await gatewaysByNumber()) ===
          JSON.stringify([
            [2, ['10.7.3.1']],
            [9, r1Gateways],
          ]) || undefined,
      'r1 as 9, r2 as 2',
    );
    expect(await routesAToB()).toBe(true);
  }, 60_000);
});
