import fc from 'fast-check';
import {
  Cursor,
  DecodeError,
  decodeAll,
  EncodeError,
  encodeToBuffer,
  list,
  toJson,
} from '../../../../src/openflow/codec';
import { NX_VENDOR_ID, type NxAction, nxAction } from '../../../../src/openflow/nicira';
import { nxActionArb } from './arbitraries';

const actions = list(nxAction);
const json = (v: unknown) => JSON.parse(JSON.stringify(toJson(v)));

describe('Nicira actions', () => {
  it('sit in an action union: type 0xffff at byte 0, the Nicira vendor at byte 4', () => {
    expect(nxAction.constantAt(0, 2)).toBe(0xffff);
    expect(nxAction.constantAt(4, 4)).toBe(NX_VENDOR_ID);
    expect(nxAction.constantAt(8, 2)).toBeUndefined();
  });

  it('round-trip every action, also through the JSON form', () => {
    fc.assert(
      fc.property(fc.array(nxActionArb, { maxLength: 4 }), (as) => {
        const bytes = encodeToBuffer(actions, as);
        const back = decodeAll(actions, bytes);
        expect(json(back)).toEqual(json(as));
        expect(encodeToBuffer(actions, back)).toEqual(bytes);
        expect(encodeToBuffer(actions, json(back))).toEqual(bytes);
        for (let p = 0; p < bytes.length; p += bytes.readUInt16BE(p + 2)) {
          expect(bytes.readUInt16BE(p + 2) % 8).toBe(0);
          expect(bytes.readUInt32BE(p + 4)).toBe(NX_VENDOR_ID);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('encodes known layouts byte for byte', () => {
    const hex = (a: NxAction) => encodeToBuffer(nxAction, a).toString('hex');
    expect(hex({ type: 'nx_resubmit_table', inPort: 0xfff8, table: 3 })).toBe(
      'ffff001000002320000efff803000000',
    );
    expect(hex({ type: 'nx_reg_load', dst: { field: 'reg0', ofs: 0, nbits: 16 }, value: 5n })).toBe(
      'ffff0018000023200007000f000100040000000000000005',
    );
    expect(
      hex({
        type: 'nx_reg_move',
        src: { field: 'reg0', ofs: 0, nbits: 8 },
        dst: { field: 'reg1', ofs: 8, nbits: 8 },
      }),
    ).toBe('ffff00180000232000060008000000080001000400010204');
    expect(hex({ type: 'nx_conjunction', clause: 0, nClauses: 2, id: 7 })).toBe(
      'ffff0010000023200022000200000007',
    );
  });

  it('names the field of a bad value', () => {
    const enc = (a: unknown) => () => encodeToBuffer(nxAction, a as NxAction);
    expect(enc({ type: 'nx_reg_load', dst: { field: 'reg0', ofs: 20, nbits: 16 }, value: 1n })).toThrow(
      new EncodeError('nx_action_reg_load', 'subfield', 'bits 20..35 do not fit reg0 (32 bits)'),
    );
    expect(enc({ type: 'nx_reg_load', dst: { field: 'regx', ofs: 0, nbits: 1 }, value: 1n })).toThrow(
      /unknown field "regx"/,
    );
    expect(
      enc({
        type: 'nx_reg_move',
        src: { field: 'reg0', ofs: 0, nbits: 8 },
        dst: { field: 'reg1', ofs: 0, nbits: 9 },
      }),
    ).toThrow(/nx_action_reg_move.dst.nbits/);
    expect(enc({ type: 'nx_resubmit_table', inPort: 1, table: 256 })).toThrow(/nx_action_resubmit.table/);
    expect(
      enc({
        type: 'nx_learn',
        idleTimeout: 0,
        hardTimeout: 0,
        priority: 0,
        cookie: 0n,
        flags: 0,
        tableId: 0,
        finIdleTimeout: 0,
        finHardTimeout: 0,
        specs: [{ kind: 'load', nbits: 8, src: { value: 1n } }],
      }),
    ).toThrow(/specs\[0\].dst: a load spec needs a destination/);
    expect(enc({ type: 'nx_ct', flags: 1, zone: 70000, recircTable: 255, alg: 0, actions: [] })).toThrow(
      /nx_action_conntrack.zone/,
    );
    expect(enc({ type: 'nx_bogus' })).toThrow(/unknown type "nx_bogus"/);
    expect(enc({ type: 'nx_reg_load', dst: { field: 'reg0', ofs: 0, nbits: 4 }, value: 16n })).toThrow(
      new EncodeError('nx_action_reg_load', 'value', '16 does not fit 4 bits'),
    );
  });

  it('decodes bad bytes to a DecodeError naming the action', () => {
    const load = encodeToBuffer(nxAction, {
      type: 'nx_reg_load',
      dst: { field: 'reg0', ofs: 0, nbits: 16 },
      value: 5n,
    });
    const bad = Buffer.from(load);
    bad.writeUInt16BE((30 << 6) | 15, 10); // bits 30..45 of a 32-bit register
    expect(() => decodeAll(nxAction, bad)).toThrow(
      new DecodeError('nx_action_reg_load', 'bits 30..45 do not fit reg0 (32 bits)', 10),
    );
    expect(() => decodeAll(nxAction, load.subarray(0, 20))).toThrow(/runs past the end/);
  });

  it('throws only DecodeError on random or mutated bytes, and always terminates', () => {
    const seeds = fc
      .sample(fc.array(nxActionArb, { minLength: 1, maxLength: 3 }), { numRuns: 50, seed: 7 })
      .map((as) => encodeToBuffer(actions, as));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 96 }).map((b) => {
            const buf = Buffer.from(b);
            if (buf.length >= 10) {
              buf.writeUInt16BE(0xffff, 0);
              buf.writeUInt32BE(NX_VENDOR_ID, 4);
            }
            return buf;
          }),
          fc
            .tuple(
              fc.constantFrom(...seeds),
              fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }),
            )
            .map(([seed, ms]) => {
              const b = Buffer.from(seed);
              for (const [i, v] of ms) b[i % b.length] = v;
              return b;
            }),
        ),
        (bytes) => {
          try {
            const back = actions.decode(new Cursor(bytes), bytes.length);
            encodeToBuffer(actions, back);
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });
});
