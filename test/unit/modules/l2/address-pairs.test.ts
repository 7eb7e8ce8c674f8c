/**
 * Allowed address pairs in the l2 compiler, evaluated against packets (with the pipeline's
 * miss flows): a router port sends from the network behind it, a VRRP-style pair MAC is
 * both a source and a destination, a fast-check property over random pairs and sources,
 * compile-cache reuse, and parsing the stored attribute.
 */
import fc from 'fast-check';
import { DesiredFlows, type Flow13 } from '../../../../src/modules/flowsync';
import {
  type AddressPair,
  CompileCache,
  compileNetwork,
  type L2Tables,
  type LocalLogicalPort,
  type NetworkView,
  parseAddressPairs,
  parseNetwork,
} from '../../../../src/modules/l2';
import { missFlows } from '../../../../src/modules/pipeline';
import { PIPELINE } from '../../../../src/modules/tables/pipeline';
import { planTables } from '../../../../src/modules/tables/table-plan';
import { type JsonValue, toKey } from '../../../../src/objectdb';
import { type Ipv4Address, ipv4FromNumber, ipv4ToNumber } from '../../../../src/openflow/packet/ipv4-address';
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
const UPLINK = 10;

const M = (last: number) => `02:00:00:00:00:${last.toString(16).padStart(2, '0')}` as MacAddress;
const pair = (cidr: string, mac?: MacAddress): AddressPair => {
  const [prefix, len] = cidr.split('/') as [string, string | undefined];
  return {
    prefix: prefix as Ipv4Address,
    length: len === undefined ? 32 : Number(len),
    ...(mac ? { mac } : {}),
  };
};

function view(locals: readonly LocalLogicalPort[]): NetworkView {
  return {
    id: 'n1',
    nwid: 1,
    type: 'vlan',
    vlanid: 101,
    localPorts: new Map(locals.map((p) => [p.id, p])),
    remotePorts: new Map(),
    uplink: UPLINK,
  };
}

const a: LocalLogicalPort = { id: 'a', portNo: 1, mac: M(1), ip: '10.2.0.10' as Ipv4Address };
/** The router VM: 10.2.0.5, routing for 192.168.50.0/24 behind it. */
const r: LocalLogicalPort = {
  id: 'r',
  portNo: 5,
  mac: M(5),
  ip: '10.2.0.5' as Ipv4Address,
  pairs: [pair('192.168.50.0/24')],
};

const ip = (from: LocalLogicalPort, src: string, over: Partial<Packet> = {}): Packet => ({
  in_port: from.portNo,
  eth_src: from.mac,
  eth_dst: a.mac,
  eth_type: 0x0800,
  ipv4_src: src,
  ip_proto: 1,
  ...over,
});
const arp = (from: LocalLogicalPort, spa: string, sha: string = from.mac): Packet => ({
  in_port: from.portNo,
  eth_src: sha,
  eth_dst: 'ff:ff:ff:ff:ff:ff',
  eth_type: 0x0806,
  arp_sha: sha,
  arp_spa: spa,
});

describe('allowed address pairs (l2 compiler)', () => {
  const flows = [...MISS, ...compileNetwork(view([a, r]), tables)];
  const run = (p: Packet) => evaluate(flows, p, tables.ingress);

  it('a router port sends from the prefix behind it, with its own MAC; nothing else new', () => {
    expect(run(ip(r, '10.2.0.5'))).toEqual(['1']);
    expect(run(ip(r, '192.168.50.1'))).toEqual(['1']);
    expect(run(ip(r, '192.168.50.255'))).toEqual(['1']);
    expect(run(ip(r, '192.168.51.1'))).toEqual([]);
    expect(run(ip(r, '10.2.0.6'))).toEqual([]);
    // The pair has no MAC of its own: another source MAC with the pair's address drops.
    expect(run(ip(r, '192.168.50.1', { eth_src: M(99) }))).toEqual([]);
    // The other port is not exempted by r's pairs.
    expect(run(ip(a, '192.168.50.1'))).toEqual([]);
  });

  it('ARP from the pair prefix passes (sender MAC = the pair MAC), outside it drops', () => {
    expect(run(arp(r, '192.168.50.9'))).toEqual(['1', `${UPLINK}@vlan=101`]);
    expect(run(arp(r, '192.168.49.9'))).toEqual([]);
    expect(run({ ...arp(r, '192.168.50.9'), arp_sha: M(99) })).toEqual([]);
  });

  it('a pair with its own MAC (VRRP): that MAC and only its prefix pass; frames to it reach the port', () => {
    const vmac = '00:00:5e:00:01:07' as MacAddress;
    const v: LocalLogicalPort = { ...r, id: 'v', portNo: 7, mac: M(7), pairs: [pair('10.2.0.100', vmac)] };
    const f = [...MISS, ...compileNetwork(view([a, v]), tables)];
    const go = (p: Packet) => evaluate(f, p, tables.ingress);
    expect(go(ip(v, '10.2.0.100', { eth_src: vmac }))).toEqual(['1']);
    expect(go(arp(v, '10.2.0.100', vmac))).toEqual(['1', `${UPLINK}@vlan=101`]);
    // The pair MAC with another address, or the port's own MAC with the pair address: dropped.
    expect(go(ip(v, '10.2.0.5', { eth_src: vmac }))).toEqual([]);
    expect(go(ip(v, '10.2.0.100'))).toEqual([]);
    // Unicast to the virtual MAC goes to the port only (not flooded).
    expect(go(ip(a, '10.2.0.10', { eth_dst: vmac }))).toEqual(['7']);
  });

  it('a pair MAC claimed by two ports reaches both; a port MAC used as a pair MAC stays its owner', () => {
    const vmac = '00:00:5e:00:01:07' as MacAddress;
    const v1: LocalLogicalPort = { id: 'v1', portNo: 7, mac: M(7), pairs: [pair('10.2.0.100', vmac)] };
    const v2: LocalLogicalPort = { id: 'v2', portNo: 8, mac: M(8), pairs: [pair('10.2.0.100', vmac)] };
    const thief: LocalLogicalPort = { id: 't', portNo: 9, mac: M(9), pairs: [pair('10.2.0.10', a.mac)] };
    const f = [...MISS, ...compileNetwork(view([a, v1, v2, thief]), tables)];
    const go = (p: Packet) => evaluate(f, p, tables.ingress);
    expect(go(ip(a, '10.2.0.10', { eth_dst: vmac }))).toEqual(['7', '8']);
    expect(go(ip(v1, '10.2.0.100', { eth_src: vmac, eth_dst: a.mac }))).toEqual(['1']);
    // Frames to a's MAC still go to a, not to the port listing a's MAC in a pair.
    expect(go(ip(v1, '10.2.0.100', { eth_src: vmac }))).toEqual(['1']);
    // Keys are unique within the owner: DesiredFlows takes the list as it is.
    const keys = compileNetwork(view([a, v1, v2, thief]), tables);
    expect(new DesiredFlows<Flow13>().replace('l2:1', keys).size).toBe(keys.length);
  });

  it('0.0.0.0/0 lets the port send from any address; duplicate pairs give one flow each', () => {
    const any: LocalLogicalPort = { ...r, pairs: [pair('0.0.0.0/0'), pair('0.0.0.0/0')] };
    const plain = compileNetwork(view([a, { ...r, pairs: undefined }]), tables);
    const withAny = compileNetwork(view([a, any]), tables);
    expect(withAny.length - plain.length).toBe(2);
    const f = [...MISS, ...withAny];
    expect(evaluate(f, ip(any, '203.0.113.9'), tables.ingress)).toEqual(['1']);
    expect(evaluate(f, ip(any, '203.0.113.9', { eth_src: M(99) }), tables.ingress)).toEqual([]);
  });

  it('property: from the port, a source inside an allowed prefix (with its MAC) passes, else only its own address', () => {
    const prefixArb = fc
      .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
      .map(([n, len]) => {
        const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
        return { n: (n & mask) >>> 0, len, mask };
      });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(prefixArb, fc.boolean()), { maxLength: 4 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (list, srcNum, pick, useVmac) => {
          const vmac = M(200);
          const pairs = list.map(([p, withMac]) =>
            pair(`${ipv4FromNumber(p.n)}/${p.len}`, withMac ? vmac : undefined),
          );
          const port: LocalLogicalPort = { ...r, pairs };
          // Sources near the pairs are interesting: sometimes take one inside a listed prefix.
          const near = list[pick % Math.max(1, list.length)];
          const src =
            near !== undefined && pick < 2
              ? ipv4FromNumber((near[0].n | (srcNum & ~near[0].mask)) >>> 0)
              : ipv4FromNumber(srcNum);
          const mac = useVmac ? vmac : port.mac;
          const f = [...MISS, ...compileNetwork(view([a, port]), tables)];
          const passed = evaluate(f, ip(port, src, { eth_src: mac }), tables.ingress).length > 0;
          const s = ipv4ToNumber(src);
          const allowed =
            (!useVmac && src === port.ip) ||
            list.some(([p, withMac]) => withMac === useVmac && (s & p.mask) >>> 0 === p.n);
          expect(passed).toBe(allowed);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the compile cache: unchanged pairs reuse the port flows; changed pairs rebuild only that port', () => {
    const cache = new CompileCache();
    const desired = new DesiredFlows<Flow13>();
    desired.replace('l2:1', compileNetwork(view([a, r]), tables, cache));
    const misses = cache.misses;
    expect(desired.replace('l2:1', compileNetwork(view([a, r]), tables, cache)).size).toBe(0);
    expect(cache.misses).toBe(misses);
    // One more pair: that port is rebuilt; the two new port-security flows change.
    const r2: LocalLogicalPort = { ...r, pairs: [...r.pairs!, pair('172.16.0.0/12')] };
    expect(desired.replace('l2:1', compileNetwork(view([a, r2]), tables, cache)).size).toBe(2);
    expect(cache.misses - misses).toBe(1);
    // A pair MAC becoming shared by a second port: one unicast flow to both, the first's own goes.
    const vmac = M(200);
    const v1: LocalLogicalPort = { id: 'v1', portNo: 7, mac: M(7), pairs: [pair('10.2.0.100', vmac)] };
    const v2: LocalLogicalPort = { id: 'v2', portNo: 8, mac: M(8), pairs: [pair('10.2.0.100', vmac)] };
    desired.replace('l2:1', compileNetwork(view([a, r2, v1]), tables, cache));
    const before = cache.misses;
    const changed = desired.replace('l2:1', compileNetwork(view([a, r2, v1, v2]), tables, cache));
    // v2's ingress, unicast, 2 own (no address) and 2 pair port-security flows, the flood, and
    // the vmac flow (same key, now to both ports).
    expect(changed.size).toBe(8);
    expect(cache.misses - before).toBe(2); // v2, and v1 (its pair MAC became shared)
  });
});

describe('allowed address pairs (parsing the stored port)', () => {
  it('reads addresses and prefixes with their MACs; skips malformed entries, never throws', () => {
    expect(
      parseAddressPairs([
        { ip_address: '192.168.50.0/24' },
        { ip_address: '10.0.0.7', mac_address: '00:00:5E:00:01:07' },
        { ip_address: '10.0.0.7/24' },
        { ip_address: 'x' },
        { mac_address: '00:00:5e:00:01:07' },
        { ip_address: '10.0.0.8', mac_address: 7 },
        'junk',
      ]),
    ).toEqual([
      { prefix: '192.168.50.0', length: 24 },
      { prefix: '10.0.0.7', length: 32, mac: '00:00:5e:00:01:07' },
    ]);
    expect(parseAddressPairs([])).toBeUndefined();
    expect(parseAddressPairs(null)).toBeUndefined();
    fc.assert(fc.property(fc.jsonValue(), (v) => void parseAddressPairs(v as JsonValue)));
  });

  it('a port whose pairs did not change keeps its object (the compile cache hits); a change replaces it', () => {
    const snap = (pairs: JsonValue | undefined) => ({
      seq: 1,
      values: new Map<ReturnType<typeof toKey>, JsonValue>([
        [
          toKey('viperflow.logicalnetworkmap.n1'),
          {
            id: 'n1',
            network: { $ref: 'viperflow.logicalnetwork.n1' },
            ports: [{ $ref: 'viperflow.logicalport.r' }],
          },
        ],
        [
          toKey('viperflow.logicalnetwork.n1'),
          { id: 'n1', nwid: 1, physicalnetwork: { $ref: 'viperflow.physicalnetwork.p' }, vlanid: 7 },
        ],
        [toKey('viperflow.physicalnetwork.p'), { id: 'p', type: 'vlan' }],
        [
          toKey('viperflow.logicalport.r'),
          {
            id: 'r',
            mac_address: '02:00:00:00:00:05',
            ip_address: '10.2.0.5',
            ...(pairs !== undefined ? { allowed_address_pairs: pairs } : {}),
          },
        ],
      ]),
    });
    const pairs = [{ ip_address: '192.168.50.0/24' }];
    const first = parseNetwork('n1', snap(pairs), undefined)!;
    expect(first.ports.get('r')!.pairs).toEqual([{ prefix: '192.168.50.0', length: 24 }]);
    const same = parseNetwork('n1', snap([{ ip_address: '192.168.50.0/24' }]), first)!;
    expect(same.ports.get('r')).toBe(first.ports.get('r'));
    const changed = parseNetwork('n1', snap([{ ip_address: '192.168.60.0/24' }]), same)!;
    expect(changed.ports.get('r')).not.toBe(first.ports.get('r'));
    const cleared = parseNetwork('n1', snap(undefined), changed)!;
    expect(cleared.ports.get('r')).toEqual({ id: 'r', mac: '02:00:00:00:00:05', ip: '10.2.0.5' });
  });
});
