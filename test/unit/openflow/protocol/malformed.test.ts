import { decodeAll } from '../../../../src/openflow/codec';
import { toDatapathId } from '../../../../src/openflow/protocol';
import { anyVersionError } from '../../../../src/openflow/protocol/any-version-error';
import { startController, type TestController } from './controller';
import { FakeSwitch, rawMessage } from './fake-switch';

let ctl: TestController;
let good: FakeSwitch;
let bad: FakeSwitch;

beforeEach(async () => {
  ctl = await startController({ echoIntervalMs: 0 });
  const up1 = ctl.nextUp(1n);
  good = await FakeSwitch.connect(ctl.port, { datapathId: 1n });
  await up1;
  const up2 = ctl.nextUp(2n);
  bad = await FakeSwitch.connect(ctl.port, { datapathId: 2n });
  await up2;
});

afterEach(async () => {
  good.close();
  bad.close();
  await ctl.close();
});

/** `bad` gets OFPT_ERROR BAD_REQUEST/`code` with the start of `offending`, then is closed; `good` keeps working. */
async function expectRefused(offending: Buffer, code: number, reason: RegExp): Promise<void> {
  const down = ctl.nextDown(2n);
  bad.write(offending);
  const f = await bad.nextOfType(1);
  const e = decodeAll(anyVersionError, f.bytes);
  expect(e).toMatchObject({ version: 4, xid: offending.readUInt32BE(4), errType: 1, code });
  expect(e.data).toEqual(offending.subarray(0, 64));
  await bad.closed;
  expect((await down).reason).toMatch(reason);
  // The other switch at the same time is untouched.
  const sw = ctl.listener.switches.get(toDatapathId(1n))!;
  expect(sw.isUp).toBe(true);
  await sw.barrier();
  await sw.echo(Buffer.from('still here'));
  expect([...ctl.listener.switches.keys()]).toEqual([1n]);
}

describe('malformed messages', () => {
  it('an unknown message type: BAD_TYPE with the first 64 bytes, only that connection closed', async () => {
    await expectRefused(
      rawMessage(4, 99, 0x1234, Buffer.alloc(100, 7)),
      1,
      /malformed message from 0000000000000002/,
    );
  });

  it('a known type with a bad length: BAD_LEN', async () => {
    // A barrier reply carries no body; this one claims 4 more bytes.
    await expectRefused(
      rawMessage(4, 21, 0x55, Buffer.from('01020304', 'hex')),
      6,
      /cannot decode message type 21/,
    );
  });

  it('a multipart reply of an unknown kind: BAD_MULTIPART', async () => {
    const body = Buffer.alloc(8);
    body.writeUInt16BE(0x7777, 0);
    await expectRefused(rawMessage(4, 19, 0x66, body), 2, /malformed message/);
  });

  it('a message of another version than negotiated: BAD_VERSION', async () => {
    await expectRefused(rawMessage(1, 2, 0x77), 0, /message version 1 on an OpenFlow 1\.3 connection/);
  });

  it('a length shorter than the header closes that connection only (nothing can be framed after it)', async () => {
    const down = ctl.nextDown(2n);
    bad.write(Buffer.from('0402000400000001', 'hex'));
    expect((await down).reason).toMatch(/malformed input: openflow .*shorter than the 8-byte header/);
    await bad.closed;
    await ctl.listener.switches.get(toDatapathId(1n))!.barrier();
  });
});
