import fc from 'fast-check';
import { decodeAll, encodeToBuffer } from '../../../../src/openflow/codec';
import { hello, helloVersions } from '../../../../src/openflow/hello';
import { supportedVersions } from '../../../../src/openflow/protocol';
import { anyVersionError } from '../../../../src/openflow/protocol/any-version-error';
import { startController, type TestController } from './controller';
import { encode13, FakeSwitch, type FakeSwitchOptions, rawMessage } from './fake-switch';

let ctl: TestController;
const switches: FakeSwitch[] = [];

beforeEach(async () => {
  ctl = await startController({ echoIntervalMs: 0 });
});

afterEach(async () => {
  for (const s of switches.splice(0)) s.close();
  await ctl.close();
});

async function fake(options: FakeSwitchOptions) {
  const sw = await FakeSwitch.connect(ctl.port, options);
  switches.push(sw);
  return sw;
}

/** The switch gets OFPT_ERROR HELLO_FAILED/INCOMPATIBLE and the connection closes; no up event. */
async function expectHelloFailed(sw: FakeSwitch): Promise<string> {
  const err = await sw.nextOfType(1);
  const e = decodeAll(anyVersionError, err.bytes);
  expect([e.errType, e.code]).toEqual([0, 0]);
  await sw.closed;
  expect(ctl.log.filter((l) => l.startsWith('up'))).toEqual([]);
  return e.data.toString('ascii');
}

describe('hello and features', () => {
  it('offers every registered version in a bitmap', async () => {
    const sw = await fake({ versions: [4] });
    const h = await sw.nextOfType(0);
    const ours = decodeAll(hello, h.bytes);
    expect(helloVersions(ours)).toEqual([...supportedVersions]);
    expect(ours.version).toBe(Math.max(...supportedVersions));
  });

  it('1.3 only: negotiates 1.3, asks for features, and reports the switch up', async () => {
    const up = ctl.nextUp(0x1234abcdn);
    const sw = await fake({ versions: [4], datapathId: 0x1234abcdn, nTables: 254 });
    const ev = await up;
    expect(ev.version).toBe(4);
    expect(ev.datapathId).toBe(0x1234abcdn);
    expect(ev.features.nTables).toBe(254);
    expect(ev.features.nBuffers).toBe(256);
    expect(ev.features.capabilities).toBe(0x4f);
    expect(ev.remote).toMatch(/^tcp:127\.0\.0\.1:\d+$/);
    expect(ev.connection.isUp).toBe(true);
    expect(ctl.listener.switches.get(ev.datapathId)).toBe(ev.connection);
    const req = sw.received.find((f) => f.type === 5)!;
    expect(req.version).toBe(4);
  });

  it('both 1.0 and 1.3 in the bitmap: the highest common version wins', async () => {
    const up = ctl.nextUp(7n);
    await fake({ versions: [1, 4], datapathId: 7n });
    expect((await up).version).toBe(4);
  });

  it('a hello without a bitmap offers every version up to its own', async () => {
    const up = ctl.nextUp(8n);
    await fake({ plainHelloVersion: 4, datapathId: 8n });
    expect((await up).version).toBe(4);
  });

  it('1.0 only: negotiates 1.0 once it is registered, else HELLO_FAILED', async () => {
    if (supportedVersions.includes(1 as never)) {
      const up = ctl.nextUp(9n);
      await fake({ versions: [1], datapathId: 9n });
      expect((await up).version).toBe(1);
    } else {
      const sw = await fake({ versions: [1], datapathId: 9n });
      expect(await expectHelloFailed(sw)).toMatch(/no common OpenFlow version.*OpenFlow 1\.3.*OpenFlow 1\.0/);
    }
  });

  it('no common version (1.4 and 1.5 only): HELLO_FAILED/INCOMPATIBLE, then close', async () => {
    const sw = await fake({ versions: [5, 6] });
    expect(await expectHelloFailed(sw)).toMatch(/no common OpenFlow version/);
  });

  it('no common version (a plain 1.0 hello): HELLO_FAILED unless 1.0 is registered', async () => {
    if (supportedVersions.includes(1 as never)) return;
    const sw = await fake({ plainHelloVersion: 1 });
    await expectHelloFailed(sw);
  });

  it('a first message that is not a hello closes the connection', async () => {
    const sw = await fake({ silent: true });
    sw.write(encode13({ type: 'echo_request', xid: 5, data: Buffer.alloc(0) }));
    await sw.closed;
    expect(ctl.log).toEqual([]);
  });

  it('a features request answered with an error closes the connection without an up event', async () => {
    const sw = await fake({ versions: [4], autoFeatures: false });
    const req = await sw.nextOfType(5);
    sw.write(
      encodeToBuffer(anyVersionError, {
        type: 'error',
        version: 4,
        xid: req.xid,
        errType: 1,
        code: 1,
        data: req.bytes,
      }),
    );
    await sw.closed;
    expect(ctl.log).toEqual([]);
  });

  it('refuses an auxiliary connection (auxiliary id != 0): it would pass for the main one', async () => {
    const sw = await fake({ versions: [4], autoFeatures: false });
    const req = await sw.nextOfType(5);
    sw.write(
      encode13({
        type: 'features_reply',
        xid: req.xid,
        datapathId: 12n,
        nBuffers: 0,
        nTables: 1,
        auxiliaryId: 1,
        capabilities: 0,
        reserved: 0,
      }),
    );
    await sw.closed;
    expect(ctl.log).toEqual([]);
  });

  it('publishes messages sent before the features reply after the up event', async () => {
    const up = ctl.nextUp(11n);
    const sw = await fake({ versions: [4], datapathId: 11n, autoFeatures: false });
    const req = await sw.nextOfType(5);
    // An unsolicited error (xid 77) arrives in the same write as the features reply.
    const early = rawMessage(4, 1, 77, Buffer.from('00010001', 'hex'));
    const featuresReply = encode13({
      type: 'features_reply',
      xid: req.xid,
      datapathId: 11n,
      nBuffers: 0,
      nTables: 1,
      auxiliaryId: 0,
      capabilities: 0,
      reserved: 0,
    });
    sw.write(Buffer.concat([early, featuresReply]));
    const ev = await up;
    await ctl.scheduler.drained();
    expect(ctl.log).toEqual([`up 11 ${ev.connectionId}`, 'error 11 77']);
  });

  it('frames the handshake and later messages split at any points', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 12 }), async (cuts) => {
        const dpid = 0x5000n + BigInt(switches.length);
        const up = ctl.nextUp(dpid);
        const sw = await fake({ silent: true, datapathId: dpid, autoFeatures: false });
        // The whole conversation from the switch side in one stream: hello, (await the
        // features request), features reply, three unsolicited errors.
        sw.write(sw.ourHello());
        const req = await sw.nextOfType(5);
        const stream = Buffer.concat([
          encode13({
            type: 'features_reply',
            xid: req.xid,
            datapathId: dpid,
            nBuffers: 0,
            nTables: 1,
            auxiliaryId: 0,
            capabilities: 0,
            reserved: 0,
          }),
          ...[1, 2, 3].map((x) => rawMessage(4, 1, 100 + x, Buffer.from('0001000100', 'hex'))),
        ]);
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        let prev = 0;
        for (const p of [...points, stream.length]) {
          sw.write(stream.subarray(prev, p));
          prev = p;
          await new Promise((r) => setImmediate(r));
        }
        await up;
        for (let i = 0; i < 100 && ctl.messages.filter((m) => m.datapathId === dpid).length < 3; i++) {
          await new Promise((r) => setTimeout(r, 10));
        }
        expect(ctl.messages.filter((m) => m.datapathId === dpid).map((m) => m.message.xid)).toEqual([
          101, 102, 103,
        ]);
        sw.close();
      }),
      { numRuns: 15 },
    );
  });
});
