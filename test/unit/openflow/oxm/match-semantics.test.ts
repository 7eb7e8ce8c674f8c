import fc from 'fast-check';
import {
  buildMatch,
  checkPrerequisites,
  ipv4Prefix,
  ipv6Prefix,
  MatchError,
  matchKey,
  normalizeField,
  type OxmField,
  oxm,
} from '../../../../src/openflow/oxm';
import { anyField } from './arbitraries';

describe('matchKey', () => {
  it('ignores field order', () => {
    const pair = fc
      .array(anyField, { maxLength: 10 })
      .chain((fields) =>
        fc.tuple(fc.constant(fields), fc.shuffledSubarray(fields, { minLength: fields.length })),
      );
    fc.assert(
      fc.property(pair, ([fields, shuffled]) => {
        expect(matchKey({ fields: shuffled })).toBe(matchKey({ fields }));
      }),
    );
  });

  it('treats masks as the switch does and NXM headers as their OXM field', () => {
    const a: OxmField[] = [
      oxm('eth_type', 0x800),
      oxm('ipv4_src', '10.0.0.7' as never, '255.255.255.0' as never),
      oxm('reg0', 5, 0xffffffff),
      oxm('reg1', 7, 0),
      oxm('nxm_of_eth_dst', '02:00:00:00:00:01' as never),
    ];
    const b: OxmField[] = [
      oxm('eth_dst', '02:00:00:00:00:01' as never),
      oxm('reg0', 5),
      oxm('ipv4_src', '10.0.0.0' as never, '255.255.255.0' as never),
      oxm('nxm_of_eth_type', 0x800),
    ];
    expect(matchKey(a)).toBe(matchKey(b));
    expect(matchKey(a)).not.toBe(matchKey([...b, oxm('reg1', 7)]));
  });
});

describe('normalizeField', () => {
  it('clears value bits outside the mask, drops all-ones masks and all-zeros fields', () => {
    expect(normalizeField(oxm('reg0', 0xff, 0x0f))).toEqual({ field: 'reg0', value: 0x0f, mask: 0x0f });
    expect(normalizeField(oxm('reg0', 5, 0xffffffff))).toEqual({ field: 'reg0', value: 5 });
    expect(normalizeField(oxm('reg0', 5, 0))).toBeUndefined();
    expect(normalizeField(oxm('ipv4_src', '10.1.2.3' as never, '255.255.0.0' as never))).toEqual({
      field: 'ipv4_src',
      value: '10.1.0.0',
      mask: '255.255.0.0',
    });
    expect(normalizeField(oxm('metadata', 0xf0n, 0x3cn))).toEqual({
      field: 'metadata',
      value: 0x30n,
      mask: 0x3cn,
    });
    const raw: OxmField = {
      field: 'raw',
      oxmClass: 3,
      oxmField: 1,
      value: Buffer.from('ff', 'hex'),
      mask: Buffer.from('0f', 'hex'),
    };
    expect(normalizeField(raw)).toEqual({ ...raw, value: Buffer.from('0f', 'hex') });
  });
});

describe('prerequisites', () => {
  it('names the field whose prerequisite is missing', () => {
    expect(() => checkPrerequisites([oxm('ipv4_src', '1.2.3.4' as never)])).toThrow(
      new MatchError('ipv4_src', 'needs eth_type=0x0800'),
    );
    expect(() => checkPrerequisites([oxm('eth_type', 0x800), oxm('tcp_src', 1)])).toThrow(
      new MatchError('tcp_src', 'needs ip_proto=6'),
    );
    expect(() =>
      checkPrerequisites([oxm('eth_type', 0x800), oxm('ip_proto', 17), oxm('tcp_src', 1)]),
    ).toThrow(/tcp_src: needs ip_proto=6/);
    expect(() => checkPrerequisites([oxm('ip_proto', 6)])).toThrow(
      /ip_proto: needs eth_type=0x0800 or 0x86dd/,
    );
    expect(() => checkPrerequisites([oxm('vlan_pcp', 3)])).toThrow(/vlan_pcp: needs vlan_vid/);
    expect(() => checkPrerequisites([oxm('in_port', 1), oxm('in_port', 2)])).toThrow(
      /appears more than once/,
    );
    expect(() =>
      checkPrerequisites([
        oxm('eth_type', 0x86dd),
        oxm('ip_proto', 58),
        oxm('icmpv6_type', 135),
        oxm('ipv6_nd_tll', '02:00:00:00:00:01' as never),
      ]),
    ).toThrow(/ipv6_nd_tll: needs icmpv6_type=136/);
  });

  it('accepts complete matches, in any order, through NXM headers too', () => {
    checkPrerequisites([oxm('tcp_dst', 80), oxm('ip_proto', 6), oxm('eth_type', 0x800)]);
    checkPrerequisites([oxm('nxm_of_eth_type', 0x800), oxm('nxm_of_ip_src', '1.2.3.4' as never)]);
    checkPrerequisites([oxm('vlan_vid', 0x1005), oxm('vlan_pcp', 3)]);
    checkPrerequisites([oxm('reg0', 1), oxm('in_port', 3), oxm('in_phy_port', 3)]);
  });
});

describe('buildMatch', () => {
  it('adds the obvious prerequisites first', () => {
    expect(buildMatch({ in_port: 3, tcp_dst: 80 }).fields).toEqual([
      { field: 'eth_type', value: 0x800 },
      { field: 'ip_proto', value: 6 },
      { field: 'in_port', value: 3 },
      { field: 'tcp_dst', value: 80 },
    ]);
    expect(buildMatch({ ipv6_src: ipv6Prefix('2001:db8::/32'), udp_dst: 547 }).fields.slice(0, 2)).toEqual([
      { field: 'eth_type', value: 0x86dd },
      { field: 'ip_proto', value: 17 },
    ]);
    expect(buildMatch({ arp_tpa: ipv4Prefix('10.0.0.1') }).fields[0]).toEqual({
      field: 'eth_type',
      value: 0x806,
    });
    expect(buildMatch({ ipv4_dst: ipv4Prefix('10.0.0.0/8') }).fields[1]).toEqual({
      field: 'ipv4_dst',
      value: '10.0.0.0',
      mask: '255.0.0.0',
    });
  });

  it('reports contradictions and unknown fields', () => {
    expect(() => buildMatch({ eth_type: 0x806, tcp_dst: 1 })).toThrow(/ip_proto: needs eth_type/);
    expect(() => buildMatch({ bogus: 1 } as never)).toThrow(new MatchError('bogus', 'unknown field'));
    expect(() => ipv4Prefix('10.0.0.0/33')).toThrow(/bad prefix length/);
  });

  it('spells IPv6 prefixes as masks', () => {
    expect(ipv6Prefix('2001:db8::1/32')).toEqual({ value: '2001:db8::1', mask: 'ffff:ffff::' });
    expect(ipv6Prefix('::/0').mask).toBe('::');
  });
});
