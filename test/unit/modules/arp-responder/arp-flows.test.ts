import fc from 'fast-check';
import {
  ARP_PRIORITY,
  type ArpNetwork,
  ArpNetworkError,
  type ArpOwner,
  arpFlows,
  uplinkFlows,
  uplinkPorts,
} from '../../../../src/modules/arp-responder';
import type { PortBinding } from '../../../../src/modules/port-binding';
import { parseArp } from '../../../../src/openflow/packet/arp';
import { parseEthernet } from '../../../../src/openflow/packet/ethernet';
import type { Ipv4Address } from '../../../../src/openflow/packet/ipv4-address';
import type { MacAddress } from '../../../../src/openflow/packet/mac-address';
import { arpRequest, ipv4FromNumber, type Outcome, runTable } from './arp-table';

const TABLE = 2;
const ip = (s: string) => s as Ipv4Address;
const mac = (s: string) => s as MacAddress;

const A = { mac: mac('02:00:00:00:00:0a'), ip: ip('10.0.0.10') };
const B = { mac: mac('02:00:00:00:00:0b'), ip: ip('10.0.0.11') };
const GW = { mac: mac('02:56:4c:00:00:01'), ip: ip('10.0.0.1') };
const NET: ArpNetwork = {
  nwid: 7,
  owners: [
    { ...A, kind: 'port' },
    { ...B, kind: 'port' },
    { ...GW, kind: 'gateway' },
  ],
};

function send(
  network: ArpNetwork,
  from: { mac: MacAddress; ip: Ipv4Address },
  target: Ipv4Address,
  opts: { inPort?: number; metadata?: bigint } = {},
): Outcome {
  return runTable(arpFlows(network, { table: TABLE }), TABLE, {
    frame: arpRequest(from, target),
    inPort: opts.inPort ?? 3,
    metadata: opts.metadata ?? BigInt(network.nwid),
  });
}

/** The reply `owner` owes `from`, as fields. */
function expectReply(out: Outcome, from: { mac: MacAddress; ip: Ipv4Address }, owner: ArpOwner, inPort = 3) {
  expect(out.kind).toBe('output');
  if (out.kind !== 'output') return;
  expect(out.port).toBe(inPort);
  const eth = parseEthernet(out.frame);
  expect({ dst: eth.dst, src: eth.src, ethertype: eth.ethertype }).toEqual({
    dst: from.mac,
    src: owner.mac,
    ethertype: 0x0806,
  });
  expect(parseArp(eth.payload)).toEqual({
    op: 2,
    senderMac: owner.mac,
    senderIp: owner.ip,
    targetMac: from.mac,
    targetIp: from.ip,
  });
}

describe('arpFlows: requests in, replies out', () => {
  it("answers a port's request for another port's address with that port's MAC, out of the in_port", () => {
    expectReply(send(NET, A, B.ip, { inPort: 5 }), A, { ...B, kind: 'port' }, 5);
    expectReply(send(NET, B, A.ip), B, { ...A, kind: 'port' });
  });

  it("answers a request for a subnet's gateway with the gateway MAC", () => {
    expectReply(send(NET, A, GW.ip), A, { ...GW, kind: 'gateway' });
  });

  it('answers a duplicate-address probe (sender 0.0.0.0) for an address another port owns', () => {
    const probe = { mac: A.mac, ip: ip('0.0.0.0') };
    expectReply(send(NET, probe, B.ip), probe, { ...B, kind: 'port' });
  });

  it("passes on a port's requests for its own address (gratuitous ARP, DAD probe) to the next table", () => {
    expect(send(NET, A, A.ip)).toEqual({ kind: 'goto', table: TABLE + 1 });
    expect(send(NET, { mac: A.mac, ip: ip('0.0.0.0') }, A.ip)).toEqual({ kind: 'goto', table: TABLE + 1 });
  });

  it('does not answer unknown addresses, other networks, or replies (table miss: next table)', () => {
    expect(send(NET, A, ip('10.0.0.99'))).toEqual({ kind: 'miss' });
    expect(send(NET, A, B.ip, { metadata: 8n })).toEqual({ kind: 'miss' });
    const reply = arpRequest(A, B.ip);
    reply.writeUInt16BE(2, 14 + 6);
    expect(
      runTable(arpFlows(NET, { table: TABLE }), TABLE, { frame: reply, inPort: 3, metadata: 7n }),
    ).toEqual({
      kind: 'miss',
    });
  });

  it('puts the nwid in the cookie and uses the documented priorities', () => {
    const flows = arpFlows(NET, { table: TABLE });
    expect(flows).toHaveLength(5); // 3 answers + 2 own-address passes (ports only)
    for (const f of flows) expect(f.cookie & 0xffff_ffff_ffffn).toBe(7n);
    expect(new Set(flows.map((f) => f.priority))).toEqual(
      new Set([ARP_PRIORITY.answer, ARP_PRIORITY.ownAddress]),
    );
  });

  it('refuses an address owned twice and a bad nwid, naming them', () => {
    expect(() =>
      arpFlows({ nwid: 7, owners: [...NET.owners, { ...A, mac: B.mac, kind: 'port' }] }, { table: TABLE }),
    ).toThrow(
      new ArpNetworkError(7, '10.0.0.10 is owned twice (port 02:00:00:00:00:0a and port 02:00:00:00:00:0b)'),
    );
    expect(() => arpFlows({ nwid: 0, owners: [] }, { table: TABLE })).toThrow(
      /nwid 0: nwid must be a positive integer/,
    );
  });

  it('compiles with a cache to the same flows, rebuilding only new or changed owners', () => {
    const cache = new Map();
    const first = arpFlows(NET, { table: TABLE }, cache);
    expect(first).toEqual(arpFlows(NET, { table: TABLE }));
    const moved: ArpNetwork = {
      nwid: 7,
      owners: [NET.owners[0]!, { ...B, ip: ip('10.0.0.22'), kind: 'port' }, NET.owners[2]!],
    };
    const second = arpFlows(moved, { table: TABLE }, cache);
    expect(second).toEqual(arpFlows(moved, { table: TABLE }));
    // A's two flows and the gateway's are the very same objects; B's are new.
    expect(second.filter((f) => first.includes(f))).toHaveLength(3);
    expect(cache.size).toBe(3);
  });

  it('property: any request is answered exactly when its target is owned and not the asker itself', () => {
    const addr = fc.integer({ min: 0x0a000001, max: 0x0a00001f }).map((n) => ipv4FromNumber(n));
    const hw = fc
      .integer({ min: 1, max: 40 })
      .map((n) => mac(`02:00:00:00:00:${n.toString(16).padStart(2, '0')}`));
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({ ip: addr, mac: hw, kind: fc.constantFrom<'port' | 'gateway'>('port', 'gateway') }),
          {
            selector: (o) => o.ip,
            maxLength: 12,
          },
        ),
        fc.integer({ min: 1, max: 1000 }),
        fc.record({ ip: fc.oneof(addr, fc.constant(ip('0.0.0.0'))), mac: hw }),
        addr,
        fc.integer({ min: 1, max: 200 }),
        (owners, nwid, from, target, inPort) => {
          const network: ArpNetwork = { nwid, owners };
          const out = send(network, from, target, { inPort });
          const owner = owners.find((o) => o.ip === target);
          if (owner === undefined) expect(out).toEqual({ kind: 'miss' });
          else if (owner.kind === 'port' && owner.mac === from.mac)
            expect(out).toEqual({ kind: 'goto', table: TABLE + 1 });
          else expectReply(out, from, owner, inPort);
          // Another network's packets are never answered.
          expect(send(network, from, target, { inPort, metadata: BigInt(nwid + 1) })).toEqual({
            kind: 'miss',
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('uplinkFlows: requests from physical ports and tunnels pass on', () => {
  const binding = (portNo: number, logicalPortId?: string) =>
    ({
      portNo,
      logicalPortId,
      physicalPortName: logicalPortId === undefined ? `eth${portNo}` : undefined,
    }) as PortBinding;

  it('takes every port without a logical port but the LOCAL port, sorted', () => {
    const local = { portNo: 65534, logicalPortId: undefined, physicalPortName: undefined } as PortBinding;
    expect(uplinkPorts([binding(4, 'lp1'), binding(9), local, binding(2), binding(5, 'lp2')])).toEqual([
      2, 9,
    ]);
  });

  it('sends their ARP requests to the next table before any answer', () => {
    const flows = [...uplinkFlows([9], { table: TABLE }), ...arpFlows(NET, { table: TABLE })];
    expect(runTable(flows, TABLE, { frame: arpRequest(A, B.ip), inPort: 9, metadata: 7n })).toEqual({
      kind: 'goto',
      table: TABLE + 1,
    });
    expectReply(runTable(flows, TABLE, { frame: arpRequest(A, B.ip), inPort: 3, metadata: 7n }), A, {
      ...B,
      kind: 'port',
    });
  });
});
