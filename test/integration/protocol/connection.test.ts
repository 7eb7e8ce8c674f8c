import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scheduler } from '../../../src/async';
import {
  type Connection,
  ConnectionClosedError,
  ConnectionStateEvent,
  connect,
  ReconnectingClient,
  Server,
} from '../../../src/protocol';
import { selfSignedCert } from '../../harness/tls';
import { lineProtocol } from './line-protocol';

const proto = lineProtocol();
const dirs: string[] = [];
const closers: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'vlcp-proto-'));
  dirs.push(d);
  return d;
}

/** An echo server: answers each line with `echo:<line>`. */
async function echoServer(extra: Partial<Parameters<typeof Server.listen<string, string>>[2]> = {}) {
  const server = await Server.listen(
    proto,
    { kind: 'tcp', host: '127.0.0.1', port: 0, tls: false },
    {
      onMessage: (m, c) => void c.send(`echo:${m}`),
      ...extra,
    },
  );
  closers.push(() => server.close());
  return server;
}

/** A client that collects what it receives. */
async function client(port: number, scheduler?: Scheduler) {
  const got: string[] = [];
  const conn = await connect(
    proto,
    { kind: 'tcp', host: '127.0.0.1', port, tls: false },
    {
      onMessage: (m) => got.push(m),
      ...(scheduler ? { scheduler } : {}),
    },
  );
  closers.push(() => conn.close());
  return { conn, got };
}

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('connection framework', () => {
  it('exchanges messages and publishes up/down events', async () => {
    const sched = new Scheduler();
    const server = await echoServer({ scheduler: sched });
    const up = sched.waitFor(
      ConnectionStateEvent.match({ protocol: 'line' }, (e) => e.state === 'up'),
      { timeout: 5000 },
    );
    const { conn, got } = await client(server.port!, sched);
    await up;
    for (let i = 0; i < 100; i++) conn.send(`m${i}`);
    await until(() => got.length === 100, '100 echoes');
    expect(got[99]).toBe('echo:m99');
    const down = sched.waitFor(
      ConnectionStateEvent.match({ protocol: 'line', connectionId: conn.id, state: 'down' }),
      {
        timeout: 5000,
      },
    );
    conn.close('test done');
    expect((await down).reason).toBe('test done');
  });

  it('closes only the connection that sends malformed input, with the reason', async () => {
    const server = await echoServer();
    const good = await client(server.port!);
    const bad = await client(server.port!);
    await until(() => server.connections.size === 2, 'two connections');
    const reasons: string[] = [];
    for (const c of server.connections) c.closed.then((r) => reasons.push(r));
    bad.conn.send('bad\0line');
    await bad.conn.closed;
    await until(() => reasons.length === 1, 'the bad connection to close');
    expect(reasons[0]).toMatch(/malformed input: line connection line-\d+: NUL byte in a line/);
    good.conn.send('still here');
    await until(() => good.got.includes('echo:still here'), 'the good connection to answer');
    expect(good.conn.state).toBe('up');
  });

  it('works over a unix socket', async () => {
    const path = join(tempDir(), 's.sock');
    const server = await Server.listen(
      proto,
      { kind: 'unix', path },
      { onMessage: (m, c) => void c.send(`u:${m}`) },
    );
    closers.push(() => server.close());
    const got: string[] = [];
    const conn = await connect(proto, { kind: 'unix', path }, { onMessage: (m) => got.push(m) });
    closers.push(() => conn.close());
    conn.send('hi');
    await until(() => got.length === 1, 'reply over unix socket');
    expect(got).toEqual(['u:hi']);
  });

  it('works over TLS', async () => {
    const { key, cert } = selfSignedCert(tempDir());
    const server = await Server.listen(
      proto,
      { kind: 'tcp', host: '127.0.0.1', port: 0, tls: true },
      {
        tls: { key, cert },
        onMessage: (m, c) => void c.send(`tls:${m}`),
      },
    );
    closers.push(() => server.close());
    const got: string[] = [];
    const conn = await connect(
      proto,
      { kind: 'tcp', host: '127.0.0.1', port: server.port!, tls: true },
      {
        tls: { ca: cert, servername: 'localhost' },
        onMessage: (m) => got.push(m),
      },
    );
    closers.push(() => conn.close());
    conn.send('secret');
    await until(() => got.length === 1, 'reply over TLS');
    expect(got).toEqual(['tls:secret']);
    // A client that does not trust the certificate is refused.
    await expect(
      connect(
        proto,
        { kind: 'tcp', host: '127.0.0.1', port: server.port!, tls: true },
        { onMessage: () => undefined },
      ),
    ).rejects.toThrow(/self-signed|certificate/);
  });

  it('pauses the writer on a slow peer and drops it past the buffer limit', async () => {
    // A peer that accepts and never reads.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => {
      s.pause();
      sockets.push(s);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    closers.push(() => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => silent.close(r));
    });
    const port = (silent.address() as net.AddressInfo).port;
    const conn = await connect(
      proto,
      { kind: 'tcp', host: '127.0.0.1', port, tls: false },
      {
        onMessage: () => undefined,
        highWaterMark: 64 * 1024,
        maxBufferedBytes: 4 * 1024 * 1024,
      },
    );
    const line = 'x'.repeat(16 * 1024);
    let sawPause = false;
    // write() must stop resolving at once when the buffer is full; keep writing without
    // awaiting to push the buffer past the limit.
    for (let i = 0; i < 2000 && conn.state !== 'closed'; i++) {
      const p = conn.write(line);
      const settled = await Promise.race([
        p.then(
          () => true,
          () => true,
        ),
        new Promise((r) => setImmediate(() => r(false))),
      ]);
      if (!settled) sawPause = true;
    }
    expect(sawPause).toBe(true);
    expect(conn.state).toBe('closed');
    expect(await conn.closed).toMatch(/peer too slow: \d+ bytes buffered \(limit 4194304\)/);
    await expect(conn.write('late')).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('reconnects with backoff when the server goes away and comes back', async () => {
    // Reserve a port, then free it so nothing listens there yet.
    const probe = await echoServer();
    const port = probe.port!;
    await probe.close();
    const conns: Connection<string>[] = [];
    const retries: number[] = [];
    const rc = new ReconnectingClient(
      proto,
      { kind: 'tcp', host: '127.0.0.1', port, tls: false },
      {
        onMessage: () => undefined,
        backoff: { initialMs: 20, maxMs: 200 },
        onConnection: (c) => void conns.push(c),
        onRetry: (_e, d) => retries.push(d),
      },
    );
    closers.push(() => rc.stop());
    rc.start();
    await until(() => retries.length >= 3, 'three failed attempts');
    expect(retries[2]!).toBeGreaterThan(retries[0]!);
    let server = await Server.listen(
      proto,
      { kind: 'tcp', host: '127.0.0.1', port, tls: false },
      { onMessage: () => undefined },
    );
    const first = await rc.connected();
    expect(first.state).toBe('up');
    await server.close();
    await first.closed;
    server = await Server.listen(
      proto,
      { kind: 'tcp', host: '127.0.0.1', port, tls: false },
      { onMessage: () => undefined },
    );
    closers.push(() => server.close());
    await until(() => conns.length === 2, 'a second connection');
    expect(conns[1]).not.toBe(first);
    await rc.stop();
    expect(rc.connection).toBeUndefined();
  });

  it('closes a connection whose peer stops answering keepalive probes', async () => {
    const kaProto = lineProtocol({ keepalive: { idleMs: 50, timeoutMs: 100 } });
    // A peer that reads everything and never answers.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((sock) => {
      sock.resume();
      sockets.push(sock);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    closers.push(() => {
      for (const sock of sockets) sock.destroy();
      return new Promise((r) => silent.close(r));
    });
    const conn = await connect(
      kaProto,
      { kind: 'tcp', host: '127.0.0.1', port: (silent.address() as net.AddressInfo).port, tls: false },
      {
        onMessage: () => undefined,
      },
    );
    expect(await conn.closed).toMatch(/keepalive timeout/);
  });
});
