/**
 * What `sendInBundle` and `sendWithBarrier` put on the wire, byte for byte, against the
 * reference encoding (each message encoded alone; in a bundle, wrapped with `wrapInBundle`):
 * the batches they build now encode every message straight into one buffer, so the bytes
 * the switch reads must not change. Over a real socket with the fake switch.
 */
import fc from 'fast-check';
import { decodeAll, EncodeError } from '../../../../src/openflow/codec';
import { buildMatch } from '../../../../src/openflow/oxm';
import type { OpenflowSwitch, OutgoingMessage } from '../../../../src/openflow/protocol';
import { wrapInBundle } from '../../../../src/openflow/v13/bundle-message';
import { BundleFlags } from '../../../../src/openflow/v13/constants';
import { type Ofp13Message, ofp13Message } from '../../../../src/openflow/v13/message';
import { messageArbitraries } from '../v13/arbitraries';
import { sampleFlowMod } from '../v13/samples';
import { startController, type TestController } from './controller';
import { encode13, FakeSwitch, type Frame } from './fake-switch';

let ctl: TestController;
let fake: FakeSwitch;
let sw: OpenflowSwitch;

beforeAll(async () => {
  ctl = await startController({ echoIntervalMs: 0, requestTimeoutMs: 10_000 });
  const up = ctl.nextUp(0x77n);
  fake = await FakeSwitch.connect(ctl.port, { versions: [4], datapathId: 0x77n });
  sw = (await up).connection;
});

afterAll(async () => {
  fake.close();
  await ctl.close();
});

const FLAGS = BundleFlags.ATOMIC | BundleFlags.ORDERED;
const decode = (f: Frame): Ofp13Message => decodeAll(ofp13Message, f.bytes);
const ofType = (type: Ofp13Message['type']) => (f: Frame) => f.type === 4 && decode(f).type === type;

/** Answers the bundle control request of `type` with its reply; returns its bundle id. */
async function answer(
  type: 'bundle_open_request' | 'bundle_commit_request' | 'bundle_discard_request',
): Promise<number> {
  const f = await fake.next(ofType(type));
  const req = decode(f);
  if (req.type !== type) throw new Error(req.type);
  const reply = type.replace('_request', '_reply') as 'bundle_open_reply';
  fake.send({ type: reply, xid: f.xid, bundleId: req.bundleId, flags: req.flags, properties: [] });
  return req.bundleId;
}

/** Frames received from `from` on that are not barriers (the fake answers those itself). */
const framesSince = (from: number) => fake.received.slice(from).filter((f) => f.type !== 20);

const flowMods = (max: number) =>
  fc.array(messageArbitraries.flow_mod as fc.Arbitrary<Ofp13Message>, { minLength: 1, maxLength: max });

/** A FlowSync-like flow-mod (in_port match, one output), i-th of a large batch. */
function bigBatchFlowMod(i: number): Ofp13Message {
  return sampleFlowMod({
    xid: 0,
    priority: i % 1000,
    tableId: i % 4,
    cookie: 0x564c_0000_0000_0000n | BigInt(i),
    match: buildMatch({ in_port: 1 + (i % 30) }),
    instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 2, maxLen: 0 }] }],
  });
}

async function bundleBytesMatch(messages: readonly Ofp13Message[]): Promise<void> {
  const from = fake.received.length;
  const done = sw.sendInBundle(messages as readonly OutgoingMessage[]);
  const bundleId = await answer('bundle_open_request');
  await answer('bundle_commit_request');
  expect(await done).toEqual([]);
  const frames = framesSince(from);
  // open, one add per message, commit (the barrier between them is filtered out).
  expect(frames).toHaveLength(messages.length + 2);
  const adds = frames.slice(1, -1);
  for (const [i, f] of adds.entries()) {
    const expected = encode13(wrapInBundle(bundleId, FLAGS, { ...messages[i]!, xid: f.xid }));
    if (!f.bytes.equals(expected)) {
      throw new Error(
        `bundle add ${i}: sent ${f.bytes.toString('hex')}, reference ${expected.toString('hex')}`,
      );
    }
  }
  expect(new Set(adds.map((f) => f.xid)).size).toBe(adds.length);
}

describe('batches on the wire', () => {
  it('sendInBundle: each bundle add is byte for byte the reference wrap of its flow-mod', async () => {
    await fc.assert(
      fc.asyncProperty(flowMods(25), (ms) => bundleBytesMatch(ms)),
      { numRuns: 20 },
    );
  });

  it('sendInBundle: 4,000 flow-mods (several 64 KiB batches) arrive whole and in order', async () => {
    await bundleBytesMatch(Array.from({ length: 4000 }, (_, i) => bigBatchFlowMod(i)));
  });

  it('sendWithBarrier: each message is byte for byte its own encoding under its xid', async () => {
    await fc.assert(
      fc.asyncProperty(flowMods(25), async (ms) => {
        const from = fake.received.length;
        expect(await sw.sendWithBarrier(ms as readonly OutgoingMessage[])).toEqual([]);
        const frames = framesSince(from);
        expect(frames).toHaveLength(ms.length);
        for (const [i, f] of frames.entries()) {
          expect(f.bytes.equals(encode13({ ...ms[i]!, xid: f.xid }))).toBe(true);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('a message that cannot be encoded: the bundle is discarded, the stream stays whole', async () => {
    const from = fake.received.length;
    const bad = { ...sampleFlowMod(), priority: 70000 } as Ofp13Message;
    const ms = [sampleFlowMod({ priority: 1 }), bad, sampleFlowMod({ priority: 2 })];
    const done = sw.sendInBundle(ms as readonly OutgoingMessage[]);
    const bundleId = await answer('bundle_open_request');
    await expect(done).rejects.toThrow(EncodeError);
    await expect(done).rejects.toThrow(/ofp_flow_mod\.priority/);
    expect(await answer('bundle_discard_request')).toBe(bundleId);
    await sw.barrier();
    // Nothing half-written: every frame since decodes, and no add of the bad one went out.
    const sent = framesSince(from).map(decode);
    expect(sent.filter((m) => m.type === 'bundle_add')).toHaveLength(0);
    expect(sw.pendingRequests).toBe(0);
  });
});
