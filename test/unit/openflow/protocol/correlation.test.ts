/**
 * Property: however the switch interleaves the replies to many outstanding requests (and
 * however TCP splits them), each request resolves with exactly its own reply or parts.
 */
import fc from 'fast-check';
import type { OpenflowMessage, OpenflowSwitch } from '../../../../src/openflow/protocol';
import { samplePort } from '../v13/samples';
import { startController, type TestController } from './controller';
import { encode13, FakeSwitch, type Frame, rawMessage } from './fake-switch';
import { splitAt } from './split-at';

let ctl: TestController;
let fake: FakeSwitch;
let sw: OpenflowSwitch;

beforeAll(async () => {
  ctl = await startController({ echoIntervalMs: 0 });
  const up = ctl.nextUp(0x77n);
  fake = await FakeSwitch.connect(ctl.port, {
    datapathId: 0x77n,
    autoBarrier: false,
    autoEcho: false,
  });
  sw = (await up).connection;
});

afterAll(async () => {
  fake.close();
  await ctl.close();
});

type Kind = { kind: 'barrier' } | { kind: 'echo'; tag: number } | { kind: 'ports'; parts: number[] };

const kind: fc.Arbitrary<Kind> = fc.oneof(
  fc.constant({ kind: 'barrier' as const }),
  fc.record({ kind: fc.constant('echo' as const), tag: fc.integer({ min: 0, max: 0xffff }) }),
  fc.record({
    kind: fc.constant('ports' as const),
    parts: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
  }),
);

describe('request/reply correlation', () => {
  it('holds for any interleaving of replies and any split of the stream', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(kind, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 64 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        async (kinds, picks, cuts) => {
          // Send every request, and learn the xid each went out with.
          const results: Promise<unknown>[] = [];
          const replies: Buffer[][] = [];
          let portNo = 1;
          const expected: unknown[] = [];
          for (const k of kinds) {
            if (k.kind === 'barrier') {
              results.push(sw.barrier());
              const f: Frame = await fake.nextOfType(20);
              replies.push([rawMessage(4, 21, f.xid)]);
              expected.push(undefined);
            } else if (k.kind === 'echo') {
              const data = Buffer.alloc(2);
              data.writeUInt16BE(k.tag);
              results.push(sw.request({ type: 'echo_request', data }).then((m: OpenflowMessage) => m));
              const f = await fake.nextOfType(2);
              replies.push([rawMessage(4, 3, f.xid, data)]);
              expected.push(expect.objectContaining({ type: 'echo_reply', xid: f.xid, data }));
            } else {
              results.push(
                sw
                  .requestMultipart({ type: 'port_desc_request', flags: 0 })
                  .then((parts) => parts.flatMap((p) => (p.type === 'port_desc_reply' ? p.ports : []))),
              );
              const f = await fake.nextOfType(18);
              const mine: number[] = [];
              replies.push(
                k.parts.map((n, i) => {
                  const nos = Array.from({ length: n }, () => portNo++);
                  mine.push(...nos);
                  return encode13({
                    type: 'port_desc_reply',
                    xid: f.xid,
                    flags: i < k.parts.length - 1 ? 1 : 0,
                    ports: nos.map((n) => samplePort(n)),
                  });
                }),
              );
              expected.push(mine.map((n) => expect.objectContaining({ portNo: n, name: `p${n}` })));
            }
          }
          // Interleave the reply queues as `picks` says, keeping each request's parts in order.
          const queues = replies.map((q) => [...q]);
          const stream: Buffer[] = [];
          let i = 0;
          for (;;) {
            const open = queues.filter((q) => q.length > 0);
            if (open.length === 0) break;
            stream.push(open[(picks[i++] ?? 0) % open.length]!.shift()!);
          }
          const bytes = Buffer.concat(stream);
          for (const chunk of splitAt(bytes, cuts)) fake.write(chunk);
          expect(await Promise.all(results)).toEqual(expected);
          expect(sw.pendingRequests).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
    await ctl.scheduler.drained();
    expect(ctl.messages).toEqual([]);
  });
});
