/**
 * Every OpenFlow 1.3 message type round-trips: encode → decode gives the value back, and
 * decode → encode gives the bytes back, for random valid values of each type.
 */
import fc from 'fast-check';
import { decodeAll, encodeToBuffer, toJson } from '../../../../src/openflow/codec';
import { peekHeader } from '../../../../src/openflow/header';
import { unwrapBundle, wrapInBundle } from '../../../../src/openflow/v13/bundle-message';
import { type Ofp13Message, ofp13Message } from '../../../../src/openflow/v13/message';
import { messageArbitraries } from './arbitraries';

/** Whether a message holds OXM fields (whose placeholder codec has no JSON form yet). */

describe('every OpenFlow 1.3 message', () => {
  it.each(Object.entries(messageArbitraries))(
    '%s: encode → decode → same value, decode → encode → same bytes',
    (tag, arb) => {
      fc.assert(
        fc.property(arb as fc.Arbitrary<Ofp13Message>, (m) => {
          const bytes = encodeToBuffer(ofp13Message, m);
          const h = peekHeader(bytes);
          expect(h.length).toBe(bytes.length);
          expect(h.xid).toBe(m.xid);
          if (m.type !== 'hello') expect(h.version).toBe(4);
          const back = decodeAll(ofp13Message, bytes);
          expect(back.type).toBe(tag);
          expect(toJson(back)).toEqual(toJson(m));
          expect(encodeToBuffer(ofp13Message, back)).toEqual(bytes);
          // The JSON form (bigint as decimal, bytes as hex) encodes to the same bytes.
          expect(encodeToBuffer(ofp13Message, JSON.parse(JSON.stringify(toJson(m))))).toEqual(bytes);
        }),
        { numRuns: 60 },
      );
    },
  );
});

describe('bundle add', () => {
  it('wraps a message with its xid and unwraps it back', () => {
    fc.assert(
      fc.property(messageArbitraries.flow_mod, fc.integer({ min: 0, max: 0xffffffff }), (fm, bundleId) => {
        const add = wrapInBundle(bundleId, 1, fm);
        expect(add.xid).toBe(fm.xid);
        const bytes = encodeToBuffer(ofp13Message, add);
        const back = decodeAll(ofp13Message, bytes);
        if (back.type !== 'bundle_add') throw new Error(back.type);
        expect(back.bundleId).toBe(bundleId);
        expect(toJson(unwrapBundle(back))).toEqual(toJson(fm));
      }),
      { numRuns: 50 },
    );
  });

  it('refuses to embed bytes that are not a whole message', () => {
    const add = wrapInBundle(1, 0, { type: 'barrier_request', xid: 3 });
    expect(() => encodeToBuffer(ofp13Message, { ...add, message: add.message.subarray(0, 6) })).toThrow(
      /onf_bundle_add_msg.message: expected an encoded OpenFlow message/,
    );
  });
});
