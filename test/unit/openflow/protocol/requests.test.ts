import { CancelledError, TimeoutError } from '../../../../src/async';
import { decodeAll } from '../../../../src/openflow/codec';
import {
  type OpenflowMessage,
  OpenflowReplyError,
  OpenflowRequestError,
  type OpenflowSwitch,
  OpenflowUsageError,
  switchMessage,
  toDatapathId,
} from '../../../../src/openflow/protocol';
import { ofp13Message } from '../../../../src/openflow/v13/message';
import { ConnectionClosedError } from '../../../../src/protocol';
import { samplePort } from '../v13/samples';
import { startController, type TestController } from './controller';
import { encode13, FakeSwitch, type Frame, rawMessage } from './fake-switch';

let ctl: TestController;
let fake: FakeSwitch;
let sw: OpenflowSwitch;

beforeEach(async () => {
  ctl = await startController({ echoIntervalMs: 0, requestTimeoutMs: 10_000 });
  const up = ctl.nextUp(0x99n);
  fake = await FakeSwitch.connect(ctl.port, { versions: [4], datapathId: 0x99n, autoBarrier: false });
  sw = (await up).connection;
});

afterEach(async () => {
  fake.close();
  await ctl.close();
});

function portDescPart(xid: number, ports: number[], more: boolean): Buffer {
  return encode13({
    type: 'port_desc_reply',
    xid,
    flags: more ? 1 : 0,
    ports: ports.map((n) => samplePort(n)),
  });
}

function barrierReply(xid: number): Buffer {
  return rawMessage(4, 21, xid);
}

function errorFor(f: Frame, errType: number, code: number): Buffer {
  return encode13({ type: 'error', xid: f.xid, errType, code, data: f.bytes.subarray(0, 64) });
}

const portNos = (parts: readonly OpenflowMessage[]) =>
  parts.flatMap((p) => (p.type === 'port_desc_reply' ? p.ports.map((x) => x.portNo) : []));

describe('requests and replies', () => {
  it('matches replies to requests by xid, whatever order they come in', async () => {
    const echo = sw.request({ type: 'echo_request', data: Buffer.from('hi') });
    const barrier = sw.barrier();
    const desc = sw.requestMultipart({ type: 'port_desc_request', flags: 0 });
    const fEcho = await fake.nextOfType(2);
    const fBarrier = await fake.nextOfType(20);
    const fDesc = await fake.nextOfType(18);
    expect(new Set([fEcho.xid, fBarrier.xid, fDesc.xid]).size).toBe(3);
    fake.write(portDescPart(fDesc.xid, [1, 2], false));
    fake.write(barrierReply(fBarrier.xid));
    // (the fake switch answered the echo itself)
    expect(portNos(await desc)).toEqual([1, 2]);
    await barrier;
    expect(await echo).toMatchObject({ type: 'echo_reply', xid: fEcho.xid, data: Buffer.from('hi') });
    expect(sw.pendingRequests).toBe(0);
  });

  it('reassembles a multipart reply from its parts (MORE flag), interleaved with other traffic', async () => {
    const a = sw.requestMultipart({ type: 'port_desc_request', flags: 0 });
    const b = sw.requestMultipart({ type: 'port_desc_request', flags: 0 });
    const fa = await fake.nextOfType(18);
    const fb = await fake.nextOfType(18);
    fake.write(portDescPart(fa.xid, [1, 2], true));
    fake.write(portDescPart(fb.xid, [10], true));
    fake.write(rawMessage(4, 1, 5000, Buffer.from('00010001', 'hex'))); // unsolicited: an event
    fake.write(portDescPart(fa.xid, [3], true));
    fake.write(portDescPart(fb.xid, [11, 12], false));
    fake.write(portDescPart(fa.xid, [4, 5], false));
    const partsA = await a;
    expect(partsA).toHaveLength(3);
    expect(portNos(partsA)).toEqual([1, 2, 3, 4, 5]);
    expect(portNos(await b)).toEqual([10, 11, 12]);
    await ctl.scheduler.drained();
    expect(ctl.messages.map((m) => [m.msgType, m.message.xid])).toEqual([['error', 5000]]);
  });

  it('rejects a multipart request whose reply grows past maxMultipartBytes, and drops its later parts', async () => {
    await ctl.close();
    fake.close();
    ctl = await startController({ echoIntervalMs: 0, maxMultipartBytes: 200 });
    const up = ctl.nextUp(0x99n);
    fake = await FakeSwitch.connect(ctl.port, { versions: [4], datapathId: 0x99n, autoBarrier: false });
    sw = (await up).connection;
    const big = sw.requestMultipart({ type: 'port_desc_request', flags: 0 });
    const f = await fake.nextOfType(18);
    fake.write(portDescPart(f.xid, [1, 2], true)); // 16 + 128 bytes
    fake.write(portDescPart(f.xid, [3], true)); // past 200
    fake.write(portDescPart(f.xid, [4], false));
    await expect(big).rejects.toThrow(/exceeds maxMultipartBytes \(200\)/);
    const barrier = sw.barrier();
    fake.write(barrierReply((await fake.nextOfType(20)).xid));
    await barrier;
    await ctl.scheduler.drained();
    expect(ctl.messages).toEqual([]);
  });

  it('refuses requestMultipart for a message that is not a multipart request, sending nothing', async () => {
    await expect(sw.requestMultipart({ type: 'barrier_request' })).rejects.toThrow(OpenflowUsageError);
    expect(sw.pendingRequests).toBe(0);
  });

  it('an OFPT_ERROR reply rejects the matching request with its type, code and the request', async () => {
    const first = sw.barrier();
    const second = sw.request({ type: 'role_request', role: 2, generationId: 5n });
    const fBarrier = await fake.nextOfType(20);
    const fRole = await fake.nextOfType(24);
    fake.write(errorFor(fRole, 11, 1)); // ROLE_REQUEST_FAILED / UNSUP
    fake.write(barrierReply(fBarrier.xid));
    const err = await second.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenflowRequestError);
    const e = err as OpenflowRequestError;
    expect([e.errType, e.code]).toEqual([11, 1]);
    expect(e.request).toMatchObject({ type: 'role_request', xid: fRole.xid, generationId: 5n });
    expect(e.data).toEqual(fRole.bytes);
    expect(e.message).toMatch(/switch 0000000000000099 refused role_request .*error type 11 code 1/);
    await first;
  });

  it('sendWithBarrier: many messages, one barrier, the errors of the ones refused', async () => {
    const done = sw.sendWithBarrier([
      { type: 'echo_request', data: Buffer.from('a') },
      { type: 'role_request', role: 2, generationId: 1n },
      { type: 'role_request', role: 3, generationId: 2n },
    ]);
    const r1 = await fake.nextOfType(24);
    const r2 = await fake.nextOfType(24);
    const b = await fake.nextOfType(20);
    expect(b.xid).toBeGreaterThan(r2.xid);
    fake.write(errorFor(r2, 11, 1));
    fake.write(encode13({ type: 'role_reply', xid: r1.xid, role: 2, generationId: 1n }));
    fake.write(barrierReply(b.xid));
    const errors = await done;
    expect(errors.map((e) => [e.request.type, e.request.xid, e.errType, e.code])).toEqual([
      ['role_request', r2.xid, 11, 1],
    ]);
    expect(sw.pendingRequests).toBe(0);
    await ctl.scheduler.drained();
    expect(ctl.messages).toEqual([]); // replies to batch members are not asynchronous messages
  });

  it('sendWithBarrier stops sending when its signal aborts', async () => {
    const ac = new AbortController();
    ac.abort(new Error('superseded'));
    await expect(
      sw.sendWithBarrier([{ type: 'echo_request', data: Buffer.alloc(0) }], { signal: ac.signal }),
    ).rejects.toThrow(/cancelled while waiting for sendWithBarrier to switch 0000000000000099: superseded/);
    expect(sw.pendingRequests).toBe(0);
    const b = sw.barrier();
    fake.write(barrierReply((await fake.nextOfType(20)).xid));
    await b;
    expect(fake.received.filter((f) => f.type === 2)).toEqual([]);
  });

  it('role: asks for master with a generation id and returns what the switch answered', async () => {
    const r = sw.role('master', 42n);
    const f = await fake.nextOfType(24);
    const req = decodeAll(ofp13Message, f.bytes);
    expect(req).toMatchObject({ type: 'role_request', role: 2, generationId: 42n });
    fake.write(encode13({ type: 'role_reply', xid: f.xid, role: 2, generationId: 42n }));
    expect(await r).toEqual({ role: 'master', generationId: 42n });
  });

  it('a reply of the wrong kind rejects with OpenflowReplyError', async () => {
    const b = sw.barrier();
    const f = await fake.nextOfType(20);
    fake.write(encode13({ type: 'role_reply', xid: f.xid, role: 2, generationId: 0n }));
    await expect(b).rejects.toThrow(OpenflowReplyError);
  });

  it('times out, and a reply arriving later is dropped rather than published', async () => {
    const b = sw.barrier({ timeoutMs: 50 });
    const f = await fake.nextOfType(20);
    const err = await b.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toMatch(/barrier_request \(xid \d+\) to switch 0000000000000099/);
    fake.write(barrierReply(f.xid));
    const next = sw.barrier();
    fake.write(barrierReply((await fake.nextOfType(20)).xid));
    await next;
    await ctl.scheduler.drained();
    expect(ctl.messages).toEqual([]);
  });

  it('an AbortSignal cancels the wait', async () => {
    const ac = new AbortController();
    const b = sw.barrier({ signal: ac.signal });
    await fake.nextOfType(20);
    ac.abort(new Error('shutting down'));
    await expect(b).rejects.toThrow(CancelledError);
    await expect(sw.barrier({ signal: ac.signal })).rejects.toThrow(/shutting down/);
    expect(sw.pendingRequests).toBe(0);
  });

  it('the connection closing rejects what is waiting, and later requests at once', async () => {
    const b = sw.barrier();
    const down = ctl.nextDown(0x99n);
    await fake.nextOfType(20);
    fake.close();
    await expect(b).rejects.toThrow(ConnectionClosedError);
    expect((await down).reason).toBe('closed by peer');
    await expect(sw.barrier()).rejects.toThrow(ConnectionClosedError);
    expect(ctl.listener.switches.size).toBe(0);
  });

  it('send() uses the given xid, or a fresh one, and refuses one a request is waiting on', async () => {
    expect(await sw.send({ type: 'echo_request', xid: 0xabcdef, data: Buffer.alloc(0) })).toBe(0xabcdef);
    expect((await fake.nextOfType(2)).xid).toBe(0xabcdef);
    const fresh = await sw.send({ type: 'echo_request', data: Buffer.alloc(0) });
    expect((await fake.nextOfType(2)).xid).toBe(fresh);
    const b = sw.barrier();
    const f = await fake.nextOfType(20);
    await expect(sw.send({ type: 'barrier_request', xid: f.xid })).rejects.toThrow(
      /belongs to a request still waiting/,
    );
    fake.write(barrierReply(f.xid));
    await b;
  });

  it('publishes unsolicited messages as events indexed by type and datapath id, typed by switchMessage()', async () => {
    const mine = ctl.scheduler.waitFor(switchMessage('error', toDatapathId(0x99n)), { timeout: 10_000 });
    const anyone = ctl.scheduler.waitFor(switchMessage('error'), { timeout: 10_000 });
    const other = ctl.scheduler.waitFor(switchMessage('error', toDatapathId(0x98n)), { timeout: 200 });
    fake.write(encode13({ type: 'error', xid: 4242, errType: 3, code: 5, data: Buffer.from('abcd', 'hex') }));
    const ev = await mine;
    // `message` is narrowed to the error message: its fields need no cast.
    expect([ev.message.errType, ev.message.code, ev.message.xid]).toEqual([3, 5, 4242]);
    expect(ev.connection).toBe(sw);
    expect((await anyone).message.data).toEqual(Buffer.from('abcd', 'hex'));
    await expect(other).rejects.toThrow(TimeoutError);
  });

  it('xids stay unique among waiting requests', async () => {
    const waits = Array.from({ length: 50 }, () => sw.barrier());
    const frames: Frame[] = [];
    for (let i = 0; i < 50; i++) frames.push(await fake.nextOfType(20));
    expect(new Set(frames.map((f) => f.xid)).size).toBe(50);
    for (const f of frames.reverse()) fake.write(barrierReply(f.xid));
    await Promise.all(waits);
  });

  it('a switch connecting again with the same datapath id replaces the old connection', async () => {
    const down = ctl.nextDown(0x99n);
    const up = ctl.nextUp(0x99n);
    const second = await FakeSwitch.connect(ctl.port, { versions: [4], datapathId: 0x99n });
    const [d, u] = await Promise.all([down, up]);
    expect(d.connectionId).toBe(sw.connectionId);
    expect(d.reason).toMatch(/replaced by connection/);
    expect(u.connectionId).not.toBe(sw.connectionId);
    expect(ctl.listener.switches.get(u.datapathId)).toBe(u.connection);
    const lines = ctl.log.filter((l) => !l.startsWith('up') || !l.includes(String(sw.connectionId)));
    expect(lines).toEqual([`down 153 ${sw.connectionId}`, `up 153 ${u.connectionId}`]);
    await fake.closed;
    second.close();
  });
});
