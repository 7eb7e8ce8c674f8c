import fc from 'fast-check';
import {
  Cursor,
  DecodeError,
  decodeAll,
  EncodeError,
  encodeToBuffer,
  toJson,
} from '../../../../src/openflow/codec';
import {
  ALL_FIELDS,
  FIELDS,
  fieldByExperimenter,
  fieldByHeader,
  fieldByName,
  type Match,
  ofpMatch,
  oxmField,
  setFieldAction,
} from '../../../../src/openflow/oxm';
import { anyField } from './arbitraries';

/** Decoded values carry `mask: undefined` when absent: compare JSON forms. */
const same = (a: unknown, b: unknown) => expect(toJson(a)).toEqual(toJson(b));

describe('field registry', () => {
  it('has the header numbers of the spec and OVS', () => {
    expect(fieldByName('in_port')!.header).toBe(0x80000004);
    expect(fieldByName('ipv4_src')!.maskedHeader).toBe(0x80001708);
    expect(fieldByName('eth_dst')!.header).toBe(0x80000606);
    expect(fieldByName('tunnel_id')!.header).toBe(0x80004c08);
    expect(fieldByName('reg0')!.header).toBe(0x00010004);
    expect(fieldByName('reg15')!.header).toBe(0x00011e04);
    expect(fieldByName('tun_id')!.header).toBe(0x00012008);
    expect(fieldByName('ct_state')!.header).toBe(0x0001d204);
    expect(fieldByName('ct_label')!.header).toBe(0x0001d810);
    expect(fieldByName('xreg0')!.header).toBe(0x80010008);
    expect(fieldByName('nxm_of_in_port')!.header).toBe(0x00000002);
    expect(fieldByName('nxm_of_eth_src')!.header).toBe(0x00000406);
  });

  it('finds every field by its header, with or without the mask bit', () => {
    for (const def of ALL_FIELDS) {
      if (def.experimenter !== undefined) {
        expect(fieldByExperimenter(def.experimenter, def.field)).toBe(def);
        continue;
      }
      expect(fieldByHeader(def.header)).toBe(def);
      expect(fieldByHeader(def.maskedHeader)).toBe(def);
    }
    expect(Object.keys(FIELDS)).toHaveLength(ALL_FIELDS.length);
  });
});

describe('OXM TLV codec', () => {
  it('encodes known fields with typed values', () => {
    const hex = (f: unknown) => encodeToBuffer(oxmField, f as never).toString('hex');
    expect(hex({ field: 'in_port', value: 1 })).toBe('8000000400000001');
    expect(hex({ field: 'ipv4_src', value: '10.0.0.0', mask: '255.255.255.0' })).toBe(
      '800017080a000000ffffff00',
    );
    expect(hex({ field: 'metadata', value: 5n })).toBe('800004080000000000000005');
    expect(hex({ field: 'ct_label', value: 1n << 127n })).toBe(`0001d81080${'00'.repeat(15)}`);
    expect(
      hex({ field: 'raw', oxmClass: 0xffff, oxmField: 3, experimenter: 0x4f4e4600, value: 'abcd' }),
    ).toBe('ffff06064f4e4600abcd');
  });

  it('round-trips random matches and their JSON form', () => {
    fc.assert(
      fc.property(fc.array(anyField, { maxLength: 12 }), (fields) => {
        const m: Match = { fields };
        const bytes = encodeToBuffer(ofpMatch, m);
        expect(bytes.length % 8).toBe(0);
        const back = decodeAll(ofpMatch, bytes);
        same(back, m);
        expect(encodeToBuffer(ofpMatch, back)).toEqual(bytes);
        expect(encodeToBuffer(ofpMatch, JSON.parse(JSON.stringify(toJson(back))))).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips set_field actions, padded to 8 with the padding counted', () => {
    fc.assert(
      fc.property(anyField, (field) => {
        const bytes = encodeToBuffer(setFieldAction, { type: 'set_field', field });
        expect(bytes.length % 8).toBe(0);
        expect(bytes.readUInt16BE(2)).toBe(bytes.length);
        same(decodeAll(setFieldAction, bytes), { type: 'set_field', field });
      }),
    );
  });

  it('pads ofp_match without counting the padding', () => {
    const bytes = encodeToBuffer(ofpMatch, { fields: [{ field: 'eth_type', value: 0x0800 }] });
    expect(bytes.toString('hex')).toBe('0001000a80000a020800000000000000');
    const empty = encodeToBuffer(ofpMatch, { fields: [] });
    expect(empty.toString('hex')).toBe('0001000400000000');
  });

  it('rejects bad values naming the field', () => {
    expect(() => encodeToBuffer(oxmField, { field: 'tcp_dst', value: 70000 } as never)).toThrow(
      new EncodeError('oxm', 'tcp_dst.value', 'expected an integer 0..65535, got 70000'),
    );
    expect(() => encodeToBuffer(oxmField, { field: 'eth_type', value: 1, mask: 1 } as never)).toThrow(
      /eth_type: cannot be masked/,
    );
    expect(() => encodeToBuffer(oxmField, { field: 'nope', value: 1 } as never)).toThrow(
      /unknown field "nope"/,
    );
    for (const bad of ['1.2.3', '01.2.3.4', '1.2.3.4.5', '256.1.1.1', '1..2.3', ' 1.2.3.4', 7]) {
      expect(() => encodeToBuffer(oxmField, { field: 'ipv4_dst', value: bad } as never)).toThrow(
        /ipv4_dst.value: expected an IPv4 address/,
      );
    }
  });

  it('rejects bad bytes with a DecodeError naming the field', () => {
    expect(() => decodeAll(oxmField, Buffer.from('8000000200000001', 'hex'))).toThrow(
      new DecodeError('oxm', 'in_port: payload of 2 bytes, expected 4', 0),
    );
    expect(() => decodeAll(oxmField, Buffer.from('80000b0401020304', 'hex'))).toThrow(/eth_type/);
    expect(() => decodeAll(oxmField, Buffer.from('8000000800', 'hex'))).toThrow(/truncated/);
    expect(() => decodeAll(oxmField, Buffer.from('800000', 'hex'))).toThrow(/truncated/);
  });

  it('throws only DecodeError on random or mutated bytes', () => {
    const good = encodeToBuffer(ofpMatch, {
      fields: [
        { field: 'in_port', value: 3 },
        { field: 'eth_type', value: 0x800 },
        { field: 'ipv4_src', value: '10.1.2.3', mask: '255.255.0.0' },
        { field: 'reg3', value: 9 },
      ] as never,
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b)),
          fc
            .array(fc.tuple(fc.nat(good.length - 1), fc.nat(255)), { minLength: 1, maxLength: 4 })
            .map((ms) => {
              const b = Buffer.from(good);
              for (const [i, v] of ms) b[i] = v;
              return b;
            }),
        ),
        (bytes) => {
          try {
            const m = ofpMatch.decode(new Cursor(bytes), bytes.length);
            expect(encodeToBuffer(ofpMatch, m).length).toBeGreaterThan(0);
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
