/**
 * The l2 compiler as a pure function: flows for network views evaluated against packets
 * (with the pipeline's miss flows), properties over random views, and incrementality —
 * a port added to a big network changes a constant number of flows.
 */
import fc from 'fast-check';
import { DesiredFlows, type Flow, type Flow13 } from '../../../../src/modules/flowsync';
import {
  CompileCache,
  compileNetwork,
  type L2Tables,
  type LocalLogicalPort,
  type NetworkView,
  type RemoteLogicalPort,
} from '../../../../src/modules/l2';
import { missFlows } from '../../../../src/modules/pipeline';
import { PIPELINE } from '../../../../src/modules/tables/pipeline';
import { planTables } from '../../../../src/modules/tables/table-plan';
import type { Ipv4Address } from '../../../../src/openflow/packet/ipv4-address';
import type { MacAddress } from '../../../../src/openflow/packet/mac-address';
import { evaluate, type Packet } from './evaluate-flows';

const plan = planTables(PIPELINE);
const tables: L2Tables = {
  ingress: plan.number('ingress'),
  portsecurity: plan.number('portsecurity'),
  arp: plan.number('arp'),
  l2output: plan.number('l2output'),
};
const MISS = missFlows(plan);
const BROADCAST = 'ff:ff:ff:ff:ff:ff';

const mac = (net: number, i: number) =>
  `02:00:00:${net.toString(16).padStart(2, '0')}:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}` as MacAddress;
const ipOf = (net: number, i: number) => `10.${net}.${i >> 8}.${i & 255}` as Ipv4Address;

function local(net: number, i: number, portNo: number, withIp = true): LocalLogicalPort {
  return { id: `n${net}p${i}`, portNo, mac: mac(net, i), ...(withIp ? { ip: ipOf(net, i) } : {}) };
}

function view(
  nwid: number,
  locals: readonly LocalLogicalPort[],
  remotes: readonly RemoteLogicalPort[] = [],
  extra: Partial<NetworkView> = {},
): NetworkView {
  return {
    id: `n${nwid}`,
    nwid,
    type: 'vlan',
    vlanid: 100 + nwid,
    localPorts: new Map(locals.map((p) => [p.id, p])),
    remotePorts: new Map(remotes.map((p) => [p.id, p])),
    ...extra,
  };
}

const ipPacket = (from: LocalLogicalPort, dst: string, over: Partial<Packet> = {}): Packet => ({
  in_port: from.portNo,
  eth_src: from.mac,
  eth_dst: dst,
  eth_type: 0x0800,
  ipv4_src: from.ip ?? '10.9.9.9',
  ip_proto: 1,
  ...over,
});

describe('l2 compiler', () => {
  const a = local(1, 1, 1);
  const b = local(1, 2, 2);
  const c = local(2, 3, 3);
  const r = { id: 'n1r', mac: mac(1, 9) };
  const UPLINK = 10;
  const flows = [
    ...MISS,
    ...compileNetwork(view(1, [a, b], [r], { uplink: UPLINK }), tables),
    ...compileNetwork(view(2, [c], [], { uplink: UPLINK }), tables),
  ];
  const run = (p: Packet) => evaluate(flows, p, tables.ingress);

  it('unicast to a local port of the same network reaches it only', () => {
    expect(run(ipPacket(a, b.mac))).toEqual(['2']);
    expect(run(ipPacket(b, a.mac))).toEqual(['1']);
  });

  it('a MAC of another network is unknown here: the frame floods its own network only', () => {
    expect(run(ipPacket(a, c.mac))).toEqual(['10@vlan=101', '2']);
    expect(run(ipPacket(c, a.mac))).toEqual(['10@vlan=102']);
  });

  it('broadcast floods the local ports and the uplink (tagged), never back out of the sender', () => {
    expect(run(ipPacket(a, BROADCAST))).toEqual(['10@vlan=101', '2']);
    expect(run({ ...ipPacket(a, BROADCAST), in_port: UPLINK, vlan_vid: 0x1000 | 101 })).toEqual(['1', '2']);
  });

  it('a remote MAC leaves through the uplink tagged; tagged frames come in untagged', () => {
    expect(run(ipPacket(a, r.mac))).toEqual(['10@vlan=101']);
    const fromUplink: Packet = {
      in_port: UPLINK,
      vlan_vid: 0x1000 | 101,
      eth_src: r.mac,
      eth_dst: a.mac,
      eth_type: 0x0800,
    };
    expect(run(fromUplink)).toEqual(['1']);
    expect(run({ ...fromUplink, vlan_vid: 0x1000 | 102 })).toEqual(['3']); // n2's tag: n2's flood
    expect(run({ ...fromUplink, vlan_vid: 0 })).toEqual([]);
    expect(run({ ...fromUplink, vlan_vid: 0x1000 | 300 })).toEqual([]);
  });

  it('port security: spoofed MAC, IP or ARP sender dropped; ARP and DHCP from 0.0.0.0 pass', () => {
    expect(run(ipPacket(a, b.mac, { eth_src: mac(1, 77) }))).toEqual([]);
    expect(run(ipPacket(a, b.mac, { ipv4_src: '10.1.0.77' }))).toEqual([]);
    const arp: Packet = {
      in_port: 1,
      eth_src: a.mac,
      eth_dst: BROADCAST,
      eth_type: 0x0806,
      arp_sha: a.mac,
      arp_spa: a.ip!,
    };
    expect(run(arp)).toEqual(['10@vlan=101', '2']);
    expect(run({ ...arp, arp_spa: '0.0.0.0' })).toEqual(['10@vlan=101', '2']);
    expect(run({ ...arp, arp_spa: '10.1.0.77' })).toEqual([]);
    expect(run({ ...arp, arp_sha: mac(1, 77) })).toEqual([]);
    const dhcp = ipPacket(a, BROADCAST, { ipv4_src: '0.0.0.0', ip_proto: 17, udp_src: 68, udp_dst: 67 });
    expect(run(dhcp)).toEqual(['10@vlan=101', '2']);
    expect(run({ ...dhcp, udp_src: 1000 })).toEqual([]);
    expect(run({ ...ipPacket(a, b.mac), eth_type: 0x86dd })).toEqual([]);
  });

  it('a port without an address is checked by MAC only', () => {
    const d = local(1, 4, 4, false);
    const f = [...MISS, ...compileNetwork(view(1, [a, d]), tables)];
    expect(evaluate(f, ipPacket(d, a.mac, { ipv4_src: '10.7.7.7' }), tables.ingress)).toEqual(['1']);
    expect(evaluate(f, ipPacket(d, a.mac, { eth_src: mac(1, 77) }), tables.ingress)).toEqual([]);
  });

  it('native networks: untagged in and out; vxlan without tunnels floods local ports only', () => {
    const nat = [
      ...MISS,
      ...compileNetwork(view(1, [a, b], [r], { type: 'native', uplink: UPLINK }), tables),
    ];
    expect(evaluate(nat, ipPacket(a, r.mac), tables.ingress)).toEqual(['10']);
    const fromUplink: Packet = { in_port: UPLINK, eth_src: r.mac, eth_dst: BROADCAST, eth_type: 0x0800 };
    expect(evaluate(nat, fromUplink, tables.ingress)).toEqual(['1', '2']);
    expect(evaluate(nat, { ...fromUplink, vlan_vid: 0x1000 | 5 }, tables.ingress)).toEqual([]);
    const vx = [
      ...MISS,
      ...compileNetwork(view(1, [a, b], [r], { type: 'vxlan', vni: 5, uplink: UPLINK }), tables),
    ];
    expect(evaluate(vx, ipPacket(a, BROADCAST), tables.ingress)).toEqual(['2']);
  });

  it('vxlan: unicast to the remote port VTEP, floods replicated per host, tunnel ingress by VNI', () => {
    const T = 20;
    const r1 = { id: 'r1', mac: mac(1, 21), vtep: '192.0.2.2' as Ipv4Address };
    const r2 = { id: 'r2', mac: mac(1, 22), vtep: '192.0.2.3' as Ipv4Address };
    const unknown = { id: 'r3', mac: mac(1, 23) };
    const vx = [
      ...MISS,
      ...compileNetwork(
        view(1, [a, b], [r1, r2, unknown], {
          type: 'vxlan',
          vni: 5000,
          uplink: T,
          floodVteps: ['192.0.2.2', '192.0.2.3'] as Ipv4Address[],
        }),
        tables,
      ),
    ];
    const go = (p: Packet) => evaluate(vx, p, tables.ingress);
    expect(go(ipPacket(a, r1.mac))).toEqual(['20@tun=192.0.2.2/5000']);
    expect(go(ipPacket(a, r2.mac))).toEqual(['20@tun=192.0.2.3/5000']);
    expect(go(ipPacket(a, unknown.mac))).toEqual(['2', '20@tun=192.0.2.2/5000', '20@tun=192.0.2.3/5000']);
    expect(go(ipPacket(a, BROADCAST))).toEqual(['2', '20@tun=192.0.2.2/5000', '20@tun=192.0.2.3/5000']);
    const fromTunnel: Packet = {
      in_port: T,
      tunnel_id: 5000n,
      eth_src: r1.mac,
      eth_dst: a.mac,
      eth_type: 0x0800,
    };
    expect(go(fromTunnel)).toEqual(['1']);
    // Split horizon: the switch never outputs to the in_port, so no copy goes back into the tunnel.
    expect(go({ ...fromTunnel, eth_dst: BROADCAST })).toEqual(['1', '2']);
    expect(go({ ...fromTunnel, tunnel_id: 5001n })).toEqual([]);
  });

  it('every flow carries the network number in its cookie; no local port and no uplink, no flows', () => {
    for (const f of compileNetwork(view(7, [a], [r], { uplink: UPLINK }), tables)) {
      expect(f.cookie).toBe(0x564c_4c32_0000_0007n);
    }
    expect(compileNetwork(view(7, [], [r]), tables)).toEqual([]);
  });

  describe('a network only routed to (no local port on this datapath)', () => {
    const r2 = { id: 'n7r2', mac: mac(7, 2) };
    const routedFlows = compileNetwork(view(7, [], [r, r2], { uplink: UPLINK }), tables);
    /** What l3router hands over: the destination network in metadata, addressed to a port. */
    const routedPacket = (dst: string): Packet => ({
      in_port: a.portNo,
      eth_src: '02:56:4c:00:00:01',
      eth_dst: dst,
      eth_type: 0x0800,
      ipv4_src: '10.1.0.11',
      metadata: 7n,
    });
    const all = [...MISS, ...routedFlows];

    it('has only l2output unicast flows, one per remote port', () => {
      expect(routedFlows).toHaveLength(2);
      for (const f of routedFlows) {
        expect(f.table).toBe(tables.l2output);
        expect(f.priority).toBe(100);
        expect(f.cookie).toBe(0x564c_4c32_0000_0007n);
      }
    });

    it('delivers routed frames to remote ports out of the uplink, tagged; nothing else', () => {
      expect(evaluate(all, routedPacket(r.mac), tables.l2output)).toEqual(['10@vlan=107']);
      expect(evaluate(all, routedPacket(r2.mac), tables.l2output)).toEqual(['10@vlan=107']);
      // No flood: unknown and broadcast destinations drop.
      expect(evaluate(all, routedPacket(mac(7, 99)), tables.l2output)).toEqual([]);
      expect(evaluate(all, routedPacket(BROADCAST), tables.l2output)).toEqual([]);
      // No ingress: the network's frames arriving on the uplink are not taken in.
      expect(
        evaluate(all, {
          in_port: UPLINK,
          eth_src: r.mac,
          eth_dst: BROADCAST,
          eth_type: 0x0800,
          vlan_vid: 0x1000 | 107,
        }),
      ).toEqual([]);
    });

    it('vxlan: into the tunnel to the port VTEP with the VNI; ports with no known VTEP are not reached', () => {
      const far = { id: 'n7f', mac: mac(7, 3), vtep: '192.0.2.2' as Ipv4Address };
      const fx = compileNetwork(view(7, [], [far, r], { type: 'vxlan', vni: 5007, uplink: UPLINK }), tables);
      const run7 = (dst: string) => evaluate([...MISS, ...fx], routedPacket(dst), tables.l2output);
      expect(fx).toHaveLength(1);
      expect(run7(far.mac)).toEqual(['10@tun=192.0.2.2/5007']);
      expect(run7(r.mac)).toEqual([]);
    });

    it('reuses the flows of unchanged remote ports when a port is added', () => {
      const cache = new CompileCache();
      const before = compileNetwork(view(7, [], [r], { uplink: UPLINK }), tables, cache);
      const misses = cache.misses;
      const after = compileNetwork(view(7, [], [r, r2], { uplink: UPLINK }), tables, cache);
      expect(cache.misses - misses).toBe(1);
      expect(after[0]).toBe(before[0]);
    });
  });

  it('property: frames stay in their network, reach exactly a known local destination, never the sender', () => {
    const netArb = fc.record({
      locals: fc.integer({ min: 1, max: 5 }),
      remotes: fc.integer({ min: 0, max: 3 }),
      type: fc.constantFrom('vlan' as const, 'native' as const),
      uplink: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(netArb, { minLength: 1, maxLength: 3 }),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (nets, srcPick, dstPick, spoof) => {
          // Native networks share no uplink (one native network per physical network): each gets its own.
          let portNo = 1;
          const views = nets.map((n, i) => {
            const nwid = i + 1;
            const locals = Array.from({ length: n.locals }, (_, j) => local(nwid, j + 1, portNo++));
            const remotes = Array.from({ length: n.remotes }, (_, j) => ({
              id: `r${nwid}.${j}`,
              mac: mac(nwid, 100 + j),
            }));
            const uplink = n.uplink ? (n.type === 'native' ? 200 + nwid : 200) : undefined;
            return view(nwid, locals, remotes, { type: n.type, ...(uplink !== undefined ? { uplink } : {}) });
          });
          const all = [...MISS, ...views.flatMap((v) => compileNetwork(v, tables))];
          const locals = views.flatMap((v) => [...v.localPorts.values()].map((p) => ({ v, p })));
          const src = locals[srcPick % locals.length]!;
          const dsts = [
            ...locals.map((x) => x.p.mac as string),
            ...views.flatMap((v) => [...v.remotePorts.values()].map((p) => p.mac as string)),
            BROADCAST,
          ];
          const dst = dsts[dstPick % dsts.length]!;
          const out = evaluate(
            all,
            ipPacket(src.p, dst, spoof ? { eth_src: mac(99, 1) } : {}),
            tables.ingress,
          );
          if (spoof) return out.length === 0;
          const ownPorts = new Set([...src.v.localPorts.values()].map((p) => `${p.portNo}`));
          const uplink = src.v.uplink;
          for (const o of out) {
            const port = o.split('@')[0]!;
            if (port === `${src.p.portNo}`) return false;
            if (!ownPorts.has(port) && port !== `${uplink}`) return false;
            if (port === `${uplink}` && src.v.type === 'vlan' && o !== `${uplink}@vlan=${src.v.vlanid}`)
              return false;
          }
          const target = [...src.v.localPorts.values()].find((p) => p.mac === dst);
          if (target !== undefined && target !== src.p)
            return JSON.stringify(out) === JSON.stringify([`${target.portNo}`]);
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('l2 compiler incrementality', () => {
  function bigNetwork(n: number): LocalLogicalPort[] {
    return Array.from({ length: n }, (_, i) => local(1, i + 1, i + 1));
  }

  it.each([10, 500])(
    'adding a port to a %i-port network changes the same few flows, other networks none',
    (n) => {
      const cache = new CompileCache();
      const desired = new DesiredFlows<Flow13>();
      const ports = bigNetwork(n);
      const remotes = Array.from({ length: n }, (_, i) => ({ id: `r${i}`, mac: mac(1, 5000 + i) }));
      const other = view(2, [local(2, 1, 9000)], [], { uplink: 9999 });
      desired.replace('l2:1', compileNetwork(view(1, ports, remotes, { uplink: 9999 }), tables, cache));
      desired.replace('l2:2', compileNetwork(other, tables, cache));
      const misses = cache.misses;
      const added = local(1, n + 1, n + 1);
      const changed = desired.replace(
        'l2:1',
        compileNetwork(view(1, [...ports, added], remotes, { uplink: 9999 }), tables, cache),
      );
      // The new port's 6 flows (ingress, unicast, 4 port security) and the flood flow: nothing else.
      expect(changed.size).toBe(7);
      expect(cache.misses - misses).toBe(1);
      // The other network recompiles to the very same flows.
      const again: Flow<Flow13>[] = compileNetwork(other, tables, cache);
      expect(desired.replace('l2:2', again).size).toBe(0);
      // Removing it again: the same 7.
      expect(
        desired.replace('l2:1', compileNetwork(view(1, ports, remotes, { uplink: 9999 }), tables, cache))
          .size,
      ).toBe(7);
    },
  );
});
