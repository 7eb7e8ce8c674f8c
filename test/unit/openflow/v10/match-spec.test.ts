import fc from 'fast-check';
import { Wildcard } from '../../../../src/openflow/v10/constants';
import { OpenFlow10Error } from '../../../../src/openflow/v10/errors';
import {
  type Ofp10MatchSpec,
  ofp10Match,
  ofp10MatchSpec,
  parseIpv4Prefix,
} from '../../../../src/openflow/v10/match-spec';
import { ipv4, mac, u8, u16 } from '../packet/arbitraries';

const prefix = fc
  .integer({ min: 0, max: 32 })
  .chain((prefixLength) =>
    ipv4.map(
      (address) =>
        ofp10MatchSpec(ofp10Match({ nwSrc: { address, prefixLength } })).nwSrc ?? { address, prefixLength },
    ),
  );

const spec: fc.Arbitrary<Ofp10MatchSpec> = fc.record(
  {
    inPort: u16,
    dlSrc: mac,
    dlDst: mac,
    dlVlan: fc.integer({ min: 0, max: 0xffff }),
    dlVlanPcp: fc.integer({ min: 0, max: 7 }),
    dlType: u16,
    nwTos: u8,
    nwProto: u8,
    nwSrc: prefix.filter((p) => p.prefixLength > 0),
    nwDst: prefix.filter((p) => p.prefixLength > 0),
    tpSrc: u16,
    tpDst: u16,
  },
  { requiredKeys: [] },
);

describe('OpenFlow 1.0 match spec', () => {
  it('spec -> wire -> spec is the identity for canonical specs', () => {
    fc.assert(fc.property(spec, (s) => expect(ofp10MatchSpec(ofp10Match(s))).toEqual(s)));
  });

  it('sets the wildcard bits of the spec example in the 1.0 spec', () => {
    const m = ofp10Match({ inPort: 3, dlType: 0x0800, nwSrc: parseIpv4Prefix('10.0.1.7/24') });
    expect(m.nwSrc).toBe('10.0.1.0');
    expect(m.wildcards).toBe(
      // OVS writes 32 (not 63) for a fully wildcarded address: 0x003808ee.
      0x003808ee,
    );
    expect(ofp10Match({}).wildcards).toBe(
      (Wildcard.ALL & ~Wildcard.NW_SRC_MASK & ~Wildcard.NW_DST_MASK) | (32 << 8) | (32 << 14),
    );
  });

  it('treats a wildcard count of 32..63 as any address', () => {
    const m = { ...ofp10Match({ nwDst: parseIpv4Prefix('1.2.3.4') }), wildcards: Wildcard.ALL };
    expect(ofp10MatchSpec(m)).toEqual({});
  });

  it('rejects bad prefixes with a typed error', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0.0/', '10.0.0/8', '1.2.3.4/8/9'])
      expect(() => parseIpv4Prefix(bad)).toThrow();
    expect(() => ofp10Match({ nwSrc: { address: ipv4FromString('1.1.1.1'), prefixLength: 40 } })).toThrow(
      OpenFlow10Error,
    );
  });
});

function ipv4FromString(s: string) {
  return parseIpv4Prefix(s).address;
}
