/**
 * ovs-ofctl as an independent encoder: it sends OpenFlow 1.0 flow-mods to a fake switch,
 * and the wildcard word it writes must equal the one ofp10Match computes for the same match.
 */
import { parseMacAddress } from '../../../../src/openflow/packet';
import { MessageType } from '../../../../src/openflow/v10/constants';
import { type Ofp10MatchSpec, ofp10Match, parseIpv4Prefix } from '../../../../src/openflow/v10/match-spec';
import { type FakeSwitch, ofctl, startFakeSwitch } from './fake-switch';

let sw: FakeSwitch;
beforeAll(async () => {
  sw = await startFakeSwitch();
});
afterAll(() => sw.close());

const cases: readonly [string, Ofp10MatchSpec][] = [
  ['ip,in_port=3,nw_src=10.0.1.0/24', { inPort: 3, dlType: 0x0800, nwSrc: parseIpv4Prefix('10.0.1.0/24') }],
  ['in_port=1', { inPort: 1 }],
  ['', {}],
  ['arp,dl_src=02:00:00:00:00:01', { dlType: 0x0806, dlSrc: parseMacAddress('02:00:00:00:00:01') }],
  [
    'tcp,nw_dst=192.168.0.1,tp_dst=80',
    { dlType: 0x0800, nwProto: 6, nwDst: parseIpv4Prefix('192.168.0.1/32'), tpDst: 80 },
  ],
  [
    'udp,dl_vlan=100,dl_vlan_pcp=3,tp_src=68',
    { dlType: 0x0800, nwProto: 17, dlVlan: 100, dlVlanPcp: 3, tpSrc: 68 },
  ],
  [
    'ip,nw_tos=32,nw_src=10.0.0.0/8,nw_dst=0.0.0.0/1',
    { dlType: 0x0800, nwTos: 32, nwSrc: parseIpv4Prefix('10.0.0.0/8'), nwDst: parseIpv4Prefix('0.0.0.0/1') },
  ],
];

describe('ofp_match wildcards agree with ovs-ofctl', () => {
  it.each(cases)('%s', async (flow, spec) => {
    const before = sw.received.length;
    const r = await ofctl(sw, 'add-flow', 'SWITCH', `${flow}${flow ? ',' : ''}actions=drop`);
    expect(r.code).toBe(0);
    const flowMods = sw.received.slice(before).filter((m) => m[1] === MessageType.FLOW_MOD);
    expect(flowMods).toHaveLength(1);
    const wire = flowMods[0]!;
    const expected = ofp10Match(spec);
    expect(`0x${wire.readUInt32BE(8).toString(16)}`).toBe(`0x${expected.wildcards.toString(16)}`);
    expect(wire.readUInt16BE(12)).toBe(expected.inPort);
    expect(wire.readUInt16BE(8 + 36)).toBe(expected.tpSrc);
  });
});
