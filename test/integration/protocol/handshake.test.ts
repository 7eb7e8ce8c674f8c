/**
 * The Protocol handshake hook: a connection is reported up only after it, a failed or
 * silent handshake closes that connection with the reason, and the hook's AbortSignal fires
 * when the connection goes away while it runs.
 */
import net from 'node:net';
import { Scheduler } from '../../../src/async';
import {
  type Connection,
  ConnectionStateEvent,
  connect,
  type Protocol,
  Server,
  type ServerOptions,
} from '../../../src/protocol';
import { lineProtocol } from './line-protocol';

/** A handshake-speaking protocol, and the router its onMessage hands HELLO lines to. */
interface Hello {
  readonly protocol: Protocol<string>;
  /** True when `line` was a HELLO, given to the handshake waiting on `conn`. */
  deliver(conn: object, line: string): boolean;
}

/** Line protocol whose handshake sends `HELLO <version>` and requires the same back. */
function helloProtocol(version: string, aborted: AbortSignal[] = []): Hello {
  const waiting = new WeakMap<object, (peer: string) => void>();
  const protocol: Protocol<string> = {
    ...lineProtocol(),
    async handshake(conn: Connection<string>, signal: AbortSignal) {
      aborted.push(signal);
      const peer = new Promise<string>((resolve, reject) => {
        waiting.set(conn, resolve);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      conn.send(`HELLO ${version}`);
      const theirs = await peer;
      if (theirs !== version) throw new Error(`peer speaks ${theirs}, we speak ${version}`);
    },
  };
  return {
    protocol,
    deliver(conn, line) {
      if (!line.startsWith('HELLO ')) return false;
      waiting.get(conn)?.(line.slice('HELLO '.length));
      return true;
    },
  };
}

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

async function listen(p: Hello, extra: Partial<ServerOptions<string, string>> = {}) {
  const server = await Server.listen(
    p.protocol,
    { kind: 'tcp', host: '127.0.0.1', port: 0, tls: false },
    {
      onMessage: (m, c) => {
        if (!p.deliver(c, m)) c.send(`echo:${m}`);
      },
      ...extra,
    },
  );
  closers.push(() => server.close());
  return server;
}

function dial(p: Hello, port: number, got: string[] = [], scheduler?: Scheduler) {
  return connect(
    p.protocol,
    { kind: 'tcp', host: '127.0.0.1', port, tls: false },
    {
      onMessage: (m, c) => {
        if (!p.deliver(c, m)) got.push(m);
      },
      ...(scheduler ? { scheduler } : {}),
    },
  );
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

describe('protocol handshake', () => {
  it('reports a connection up only once both sides have said hello', async () => {
    const sched = new Scheduler();
    const states: string[] = [];
    const ups: string[] = [];
    sched.subscribe(ConnectionStateEvent.match({ protocol: 'line', state: 'up' }), (e) =>
      ups.push(e.connectionId),
    );
    const server = await listen(helloProtocol('v1'), {
      scheduler: sched,
      onConnection: (c) => states.push(c.state),
    });
    const got: string[] = [];
    const conn = await dial(helloProtocol('v1'), server.port!, got, sched);
    closers.push(() => conn.close());
    expect(conn.state).toBe('up');
    // The server saw the connection first while it was still handshaking.
    expect(states).toEqual(['handshaking']);
    await until(() => ups.length === 2, 'both ends up');
    await conn.write('after');
    await until(() => got.includes('echo:after'), 'an echo after the handshake');
  });

  it('a handshake that fails closes that connection with the reason; the server goes on', async () => {
    const sched = new Scheduler();
    const ups: string[] = [];
    sched.subscribe(ConnectionStateEvent.match({ protocol: 'line', state: 'up' }), (e) =>
      ups.push(e.connectionId),
    );
    const inbound: Connection<string>[] = [];
    const server = await listen(helloProtocol('v2'), {
      scheduler: sched,
      onConnection: (c) => inbound.push(c),
    });
    await expect(dial(helloProtocol('v1'), server.port!, [], sched)).rejects.toThrow(
      /peer speaks v2, we speak v1/,
    );
    await until(() => inbound.length === 1, 'the server side');
    expect(await inbound[0]!.closed).toMatch(
      /^handshake failed: peer speaks v1, we speak v2$|^closed by peer$/,
    );
    expect(ups).toEqual([]);
    // A client that speaks the server's version still gets in.
    const ok = await dial(helloProtocol('v2'), server.port!);
    closers.push(() => ok.close());
    expect(ok.state).toBe('up');
  });

  it('a peer that never completes the handshake is dropped after handshakeTimeoutMs', async () => {
    const inbound: Connection<string>[] = [];
    const server = await listen(helloProtocol('v1'), {
      handshakeTimeoutMs: 300,
      onConnection: (c) => inbound.push(c),
    });
    const silent = net.connect(server.port!, '127.0.0.1');
    closers.push(() => silent.destroy());
    await until(() => inbound.length === 1, 'the silent peer to be accepted');
    expect(await inbound[0]!.closed).toBe('handshake timed out after 300 ms');
  });

  it('aborts the running handshake when the peer goes away', async () => {
    const signals: AbortSignal[] = [];
    const inbound: Connection<string>[] = [];
    const server = await listen(helloProtocol('v1', signals), { onConnection: (c) => inbound.push(c) });
    const quitter = net.connect(server.port!, '127.0.0.1');
    await until(() => inbound.length === 1 && signals.length === 1, 'the handshake to start');
    expect(signals[0]!.aborted).toBe(false);
    quitter.destroy();
    // A FIN, or a RST when our hello was still unread in the quitter's buffer: both are the
    // peer going away.
    expect(await inbound[0]!.closed).toMatch(/^(closed by peer|socket error: read ECONNRESET)$/);
    expect(signals[0]!.aborted).toBe(true);
  });
});
