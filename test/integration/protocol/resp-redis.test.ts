import net from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import {
  type Connection,
  connect,
  RespClient,
  type RespValue,
  respProtocol,
  respToPlain,
  Server,
} from '../../../src/protocol';
import { cleanupAll, type RedisInstance, run, startRedis } from '../../harness';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
const opened: { close(): void }[] = [];
afterAll(async () => {
  for (const c of opened) c.close();
  await cleanupAll();
});

async function client(): Promise<RespClient> {
  let c: RespClient | undefined;
  const conn = await connect(
    respProtocol(),
    { kind: 'tcp', host: redis.host, port: redis.port, tls: false },
    {
      onMessage: (m) => c!.receive(m),
    },
  );
  c = new RespClient(conn);
  opened.push(conn);
  return c;
}

const cli = (...args: string[]) => run('redis-cli', ['-h', redis.host, '-p', String(redis.port), ...args]);

describe('RESP against a real Redis', () => {
  it('reads what redis-cli writes, and redis-cli reads what we write', async () => {
    const c = await client();
    await cli('SET', 'from-cli', 'héllo\r\nworld');
    expect(respToPlain(await c.call('GET', 'from-cli'))).toBe('héllo\r\nworld');
    const bin = Buffer.from([0, 1, 2, 13, 10, 255]);
    expect(respToPlain(await c.call('SET', 'from-us', bin))).toBe('OK');
    expect(
      (
        await run('redis-cli', ['-h', redis.host, '-p', String(redis.port), '--no-raw', 'GET', 'from-us'])
      ).trim(),
    ).toBe('"\\x00\\x01\\x02\\r\\n\\xff"');
  });

  it('decodes RESP2 replies as redis-cli prints them', async () => {
    const c = await client();
    await cli('DEL', 'l', 'n');
    await cli('RPUSH', 'l', 'a', 'b', 'c');
    await cli('SET', 'n', '41');
    const plain = async (...cmd: string[]) => {
      const v = respToPlain(await c.call(...cmd));
      return Array.isArray(v) ? v.join('\n') : v === null ? '' : String(v);
    };
    for (const cmd of [
      ['PING'],
      ['GET', 'n'],
      ['STRLEN', 'n'],
      ['GET', 'missing'],
      ['LRANGE', 'l', '0', '-1'],
      ['EXISTS', 'l', 'n'],
    ]) {
      expect(await plain(...cmd)).toBe((await cli(...cmd)).replace(/\n$/, ''));
    }
    const err = await c.call('INCR', 'l');
    expect(err.type).toBe('error');
    expect((err as { value: string }).value).toMatch(/^WRONGTYPE/);
  });

  it('speaks RESP3 after HELLO 3: maps, doubles, nulls, booleans, sets and push messages', async () => {
    const pushes: RespValue[] = [];
    let c: RespClient | undefined;
    const conn = await connect(
      respProtocol(),
      { kind: 'tcp', host: redis.host, port: redis.port, tls: false },
      {
        onMessage: (m) => c!.receive(m),
      },
    );
    c = new RespClient(conn, (p) => pushes.push(p));
    const hello = await c.call('HELLO', '3');
    expect(hello.type).toBe('map');
    expect((respToPlain(hello) as Map<unknown, unknown>).get('proto')).toBe(3n);
    await c.call('DEL', 'z', 's');
    await c.call('ZADD', 'z', '1.5', 'm');
    expect(await c.call('ZSCORE', 'z', 'm')).toEqual({ type: 'double', value: 1.5 });
    expect(await c.call('GET', 'missing')).toEqual({ type: 'null' });
    await c.call('SADD', 's', 'x');
    expect((await c.call('SMEMBERS', 's')).type).toBe('set');
    await c.send('SUBSCRIBE', 'chan');
    for (let i = 0; i < 250 && pushes.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(respToPlain(pushes[0]!)).toEqual(['subscribe', 'chan', 1n]);
    await cli('PUBLISH', 'chan', 'hi');
    for (let i = 0; i < 250 && pushes.length === 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(respToPlain(pushes[1]!)).toEqual(['message', 'chan', 'hi']);
    conn.close();
  });
});

describe('RESP served by the connection framework', () => {
  it('a peer sending malformed RESP is dropped alone, with the reason logged; redis-cli goes on', async () => {
    const logged: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const l of chunk.toString().split('\n').filter(Boolean))
            logged.push(JSON.parse(l) as Record<string, unknown>);
          done();
        },
      }),
    );
    const inbound: Connection<RespValue>[] = [];
    // A tiny RESP server: PING -> PONG, ECHO x -> x.
    const server = await Server.listen(
      respProtocol(),
      { kind: 'tcp', host: '127.0.0.1', port: 0, tls: false },
      {
        logger,
        onConnection: (c) => inbound.push(c),
        onMessage: (m, c) => {
          const args = m.type === 'array' ? (m.value ?? []).map((v) => String(respToPlain(v))) : [];
          if (args[0]?.toUpperCase() === 'ECHO') c.send({ type: 'bulk', value: Buffer.from(args[1] ?? '') });
          else c.send({ type: 'simple', value: 'PONG' });
        },
      },
    );
    try {
      const port = String(server.port);
      expect((await run('redis-cli', ['-p', port, 'PING'])).trim()).toBe('PONG');
      const before = inbound.length;
      const bad = net.connect(Number(port), '127.0.0.1');
      await new Promise<void>((r) => bad.once('connect', () => r()));
      for (let i = 0; i < 400 && inbound.length === before; i++) await new Promise((r) => setTimeout(r, 5));
      bad.write('?this is not RESP\r\n');
      expect(await inbound.at(-1)!.closed).toMatch(/^malformed input: resp connection resp-\d+: /);
      bad.destroy();
      expect(logged.some((l) => l.msg === 'malformed input; closing connection')).toBe(true);
      expect((await run('redis-cli', ['-p', port, 'ECHO', 'still-serving'])).trim()).toBe('still-serving');
    } finally {
      await server.close();
    }
  });
});
