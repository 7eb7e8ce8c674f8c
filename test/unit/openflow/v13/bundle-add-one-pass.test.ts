/**
 * The one-pass bundle add (`bundleAddMessage`: header and inner message encoded together,
 * straight into a batch) against the reference it replaces (`wrapInBundle`: the message
 * encoded to a buffer of its own, then embedded): the same bytes for any message, alone or
 * many in one buffer, and the same errors; and `ovs-ofctl ofp-print` reads a batch of them.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { decodeAll, EncodeError, encodeToBuffer, toJson, Writer } from '../../../../src/openflow/codec';
import { peekHeader } from '../../../../src/openflow/header';
import type { Action } from '../../../../src/openflow/v13/action';
import { bundleAddMessage, bundled, wrapInBundle } from '../../../../src/openflow/v13/bundle-message';
import { type Ofp13Message, ofp13Message } from '../../../../src/openflow/v13/message';
import { u16, u32 } from '../wire-arbitraries';
import { anyMessage, messageArbitraries } from './arbitraries';
import { sampleFlowMod } from './samples';

/** The reference: the message encoded on its own, then wrapped and encoded again. */
const reference = (bundleId: number, flags: number, m: Ofp13Message): Buffer =>
  encodeToBuffer(ofp13Message, wrapInBundle(bundleId, flags, m));

const onePass = (bundleId: number, flags: number, m: Ofp13Message): Buffer =>
  encodeToBuffer(bundleAddMessage, bundled(bundleId, flags, m));

/** What a bundle add may carry in practice (FlowSync sends flow- and group-mods). */
const modMessage = fc.oneof(
  messageArbitraries.flow_mod as fc.Arbitrary<Ofp13Message>,
  messageArbitraries.group_mod as fc.Arbitrary<Ofp13Message>,
);

/** The error `f` throws, as class name and message. */
function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  return 'nothing thrown';
}

/** A flow-mod of exactly `size` bytes: an empty match and one apply_actions of outputs. */
function flowModOfSize(size: number): Ofp13Message {
  // 48 bytes of flow-mod, 8 of empty match, 8 of instruction header, 16 per output action.
  const n = (size - 64) / 16;
  if (!Number.isInteger(n)) throw new Error(`no flow-mod of ${size} bytes`);
  const actions: Action[] = Array.from({ length: n }, (_, i) => ({ type: 'output', port: i + 1, maxLen: 0 }));
  return sampleFlowMod({ xid: 9, instructions: [{ type: 'apply_actions', actions }] });
}

describe('bundle add encoded in one pass', () => {
  it('gives the same bytes as encoding the flow- or group-mod first and wrapping it', () => {
    fc.assert(
      fc.property(modMessage, u32, u16, (m, bundleId, flags) => {
        expect(onePass(bundleId, flags, m).equals(reference(bundleId, flags, m))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same bytes for any 1.3 message inside', () => {
    fc.assert(
      fc.property(anyMessage, u32, u16, (m, bundleId, flags) => {
        // The reference's check: the hello's version is its own, the rest are 1.3.
        expect(onePass(bundleId, flags, m).equals(reference(bundleId, flags, m))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('many adds written one after another into one buffer are the references back to back', () => {
    fc.assert(
      fc.property(fc.array(modMessage, { minLength: 1, maxLength: 40 }), u32, (ms, bundleId) => {
        const w = new Writer(64); // small, so the batch grows (and moves) while it fills
        for (const m of ms) bundleAddMessage.encode(w, bundled(bundleId, 3, m));
        const expected = Buffer.concat(ms.map((m) => reference(bundleId, 3, m)));
        expect(w.toBuffer().equals(expected)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('carries the inner xid in both headers and decodes back to the same value', () => {
    fc.assert(
      fc.property(modMessage, u32, (m, bundleId) => {
        const bytes = onePass(bundleId, 1, m);
        expect(peekHeader(bytes).xid).toBe(m.xid);
        expect(peekHeader(bytes, 24)).toMatchObject({ version: 4, xid: m.xid, length: bytes.length - 24 });
        expect(toJson(decodeAll(bundleAddMessage, bytes))).toEqual(toJson(bundled(bundleId, 1, m)));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses what the reference refuses, with the same error', () => {
    // The inner message itself too long for its 16-bit length...
    const huge = flowModOfSize(65536 + 64);
    // ...or fitting alone but not with the 24-byte bundle add header around it.
    const tight = flowModOfSize(65520);
    expect(encodeToBuffer(ofp13Message, tight)).toHaveLength(65520);
    for (const m of [huge, tight]) {
      const fast = thrown(() => onePass(1, 0, m));
      expect(fast).toMatch(/^EncodeError: /);
      expect(fast).toBe(thrown(() => reference(1, 0, m)));
    }
    expect(thrown(() => onePass(1, 0, tight))).toContain('onf_bundle_add_msg');
    // A malformed inner value names the struct and field.
    const bad = { ...sampleFlowMod(), priority: 70000 } as Ofp13Message;
    expect(() => onePass(1, 0, bad)).toThrow(EncodeError);
    expect(thrown(() => onePass(1, 0, bad))).toBe(thrown(() => reference(1, 0, bad)));
  });
});

describe('ovs-ofctl ofp-print reads a batch of one-pass bundle adds', () => {
  function ofpPrint(bytes: Buffer): string {
    const r = spawnSync('ovs-ofctl', ['ofp-print', bytes.toString('hex')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ofp-print: ${r.stderr}`);
    return r.stdout;
  }

  it('prints each add of the batch with its bundle id, flags and flow-mod', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            priority: u16,
            tableId: fc.integer({ min: 1, max: 253 }), // OVS leaves out table 0
            port: fc.integer({ min: 1, max: 0xfeff }),
            cookie: fc.bigInt({ min: 1n, max: (1n << 63n) - 1n }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        u32,
        fc.integer({ min: 1, max: 0xffffffff }),
        (flows, bundleId, firstXid) => {
          const w = new Writer();
          const ms = flows.map((f, i) =>
            sampleFlowMod({
              xid: (firstXid + i) >>> 0,
              priority: f.priority,
              tableId: f.tableId,
              cookie: f.cookie,
              instructions: [
                { type: 'apply_actions', actions: [{ type: 'output', port: f.port, maxLen: 0 }] },
              ],
            }),
          );
          for (const m of ms) bundleAddMessage.encode(w, bundled(bundleId, 3, m));
          const batch = w.toBuffer();
          let at = 0;
          for (const [i, f] of flows.entries()) {
            const len = peekHeader(batch, at).length;
            const out = ofpPrint(batch.subarray(at, at + len));
            at += len;
            expect(out).not.toContain('***');
            const id = bundleId === 0 ? '0' : `0x${bundleId.toString(16)}`;
            for (const text of [
              `ONFT_BUNDLE_ADD_MESSAGE (OF1.3) (xid=0x${ms[i]!.xid.toString(16)})`,
              `bundle_id=${id} flags=atomic ordered`,
              `OFPT_FLOW_MOD (OF1.3) (xid=0x${ms[i]!.xid.toString(16)}): ADD`,
              `table:${f.tableId}`,
              `priority=${f.priority}`,
              `cookie:0x${f.cookie.toString(16)}`,
              `actions=output:${f.port}`,
            ]) {
              if (!out.includes(text))
                throw new Error(`ofp-print output lacks ${JSON.stringify(text)}:\n${out}`);
            }
          }
          expect(at).toBe(batch.length);
        },
      ),
      { numRuns: 15 },
    );
  });
});
