/**
 * ofp_match against Open vSwitch both ways: OVS decodes what we encode (ofp-parse prints it,
 * and the printed flow, sent back through ovs-ofctl, must encode the same match), and what
 * ovs-ofctl encodes decodes with ours and re-encodes to the same bytes.
 */
import fc from 'fast-check';
import { decodeAll, encodeToBuffer } from '../../../../src/openflow/codec';
import { checkPrerequisites, type Match, matchKey, ofpMatch } from '../../../../src/openflow/oxm';
import { flowMod as flowMod13 } from '../../../../src/openflow/v13/flow-mod';
import { sampleFlowMod } from '../../../unit/openflow/v13/samples';
import { type FakeSwitch13, startFakeSwitch13 } from '../v13/fake-switch';
import { ovsMatch } from './match-arbitraries';
import { ovsEncodeFlows, ovsPrint } from './ofctl-oracle';

let sw: FakeSwitch13;
beforeAll(async () => {
  sw = await startFakeSwitch13();
});
afterAll(() => sw.close());

function flowModWith(match: Match, xid: number): Buffer {
  return encodeToBuffer(flowMod13, sampleFlowMod({ xid, priority: 100, match }));
}

/** The match part of a printed 1.3 ADD flow-mod: "priority=100,<match> actions=drop". */
function printedMatch(line: string): string {
  const m = /ADD priority=100,?(.*?) actions=/.exec(line);
  if (!m) throw new Error(`unexpected ofp-print output: ${line}`);
  return m[1]!;
}

describe('ofp_match vs ovs-ofctl', () => {
  it('random matches survive our encoder → OVS printer → OVS encoder → our decoder', async () => {
    const matches = fc.sample(ovsMatch, { numRuns: 300, seed: 1 }).map((fields) => ({ fields }));
    for (const m of matches) checkPrerequisites(m.fields);
    const printed = await ovsPrint(matches.map((m, i) => flowModWith(m, i + 1)));
    expect(printed).toHaveLength(matches.length);
    const texts = printed.map(printedMatch);
    const encoded = await ovsEncodeFlows(
      sw,
      texts.map((t) => `priority=100${t ? `,${t}` : ''},actions=drop`),
    );
    expect(encoded).toHaveLength(matches.length);
    encoded.forEach((bytes, i) => {
      const back = decodeAll(flowMod13, bytes);
      if (matchKey(back.match) !== matchKey(matches[i]!)) {
        throw new Error(
          `match ${i}: ${texts[i]}\n ours: ${matchKey(matches[i]!)}\n ovs:  ${matchKey(back.match)}`,
        );
      }
    });
  });

  const flows: readonly [string, string][] = [
    ['in_port=1', 'in_port=00000001'],
    ['tcp,nw_src=10.0.0.0/24,tp_dst=80', 'eth_type=0800,ip_proto=06,ipv4_src=0a000000/ffffff00,tcp_dst=0050'],
    ['reg0=0x5/0xffff,reg15=7', 'reg0=00000005/0000ffff,reg15=00000007'],
    ['tun_id=0x63,tun_src=1.2.3.4', 'tun_src=01020304,tunnel_id=0000000000000063'],
    [
      'ct_state=+trk+est,ct_zone=3,ct_mark=0x1/0x1',
      'ct_mark=00000001/00000001,ct_state=00000022/00000022,ct_zone=0003',
    ],
    ['tcp,tcp_flags=+syn-ack', 'eth_type=0800,ip_proto=06,tcp_flags=0002/0012'],
    ['actset_output=3', 'actset_output=00000003'],
    [
      'ct_state=+trk,ip,ct_nw_src=10.0.0.1,ct_nw_proto=6,ct_tp_dst=80',
      'ct_nw_proto=06,ct_nw_src=0a000001,ct_state=00000020/00000020,ct_tp_dst=0050,eth_type=0800',
    ],
    ['ip,nw_ttl=5,ip_frag=first', 'eth_type=0800,ip_frag=01,nw_ttl=05'],
    ['tun_gbp_id=5,tun_ipv6_src=fe80::1', 'tun_gbp_id=0005,tun_ipv6_src=fe800000000000000000000000000001'],
    ['ct_label=0x1/0xf', `ct_label=${'0'.repeat(31)}1/${'0'.repeat(31)}f`],
    ['dl_vlan=5,dl_vlan_pcp=3', 'vlan_pcp=03,vlan_vid=1005'],
    ['xreg3=0x700000001', 'reg6=00000007,reg7=00000001'],
    ['metadata=0x1/0x3,pkt_mark=9', 'metadata=0000000000000001/0000000000000003,pkt_mark=00000009'],
    ['arp,arp_tpa=10.0.0.1,arp_op=1', 'arp_op=0001,arp_tpa=0a000001,eth_type=0806'],
    [
      'icmp6,icmp_type=135,nd_target=fe80::1',
      'eth_type=86dd,icmpv6_type=87,ip_proto=3a,ipv6_nd_target=fe800000000000000000000000000001',
    ],
  ];

  it.each(flows)('OVS encodes "%s"; ours decodes it and re-encodes the same bytes', async (flow, key) => {
    const [bytes] = await ovsEncodeFlows(sw, [`${flow},actions=drop`]);
    const fm = decodeAll(flowMod13, bytes!);
    expect(matchKey(fm.match)).toBe(key);
    expect(encodeToBuffer(flowMod13, fm)).toEqual(bytes);
    const m = bytes!.subarray(48, 48 + ((bytes!.readUInt16BE(50) + 7) & ~7));
    expect(encodeToBuffer(ofpMatch, decodeAll(ofpMatch, m))).toEqual(m);
  });
});
