/** The Redis backend (ioredis): Lua compare-and-write, pub/sub notices with a global seq. */
import { randomUUID } from 'node:crypto';
import Redis, { type RedisOptions } from 'ioredis';
import type {
  Backend,
  BackendListener,
  BackendSnapshot,
  CommitRequest,
  CommitResult,
  StoredValue,
} from '../backend';
import { BackendError, ClosedError, InvalidObjectDbUrlError } from '../errors';
import type { Key } from '../key';
import { COMMIT_SCRIPT, READ_SCRIPT } from './scripts';

type ScriptClient = Redis & {
  objectdbCommit(...args: (string | number)[]): Promise<(number | null)[]>;
  objectdbRead(...args: (string | number)[]): Promise<(string | number | null)[]>;
};

export interface RedisBackendOptions {
  /** Prefix of every Redis key and the notice channel (default `vlcp:`). */
  readonly prefix?: string;
  /** How long a commit keeps retrying through a lost connection before failing (default 30 s). */
  readonly commitRetryMs?: number;
}

export class RedisBackend implements Backend {
  readonly kind = 'redis';
  private readonly listeners = new Set<BackendListener>();
  private closed = false;
  private subscribed: Promise<void> | null = null;
  private readonly channel: string;
  private readonly seqKey: string;

  private constructor(
    private readonly cmd: ScriptClient,
    private readonly sub: Redis,
    private readonly prefix: string,
    private readonly commitRetryMs: number,
  ) {
    this.seqKey = `${prefix}seq`;
    this.channel = `${prefix}db${cmd.options.db ?? 0}:commits`;
  }

  static async open(url: string, options: RedisBackendOptions = {}): Promise<RedisBackend> {
    const base = parseRedisUrl(url);
    const common: RedisOptions = { ...base, lazyConnect: true, maxRetriesPerRequest: 3 };
    const cmd = new Redis(common) as ScriptClient;
    const sub = new Redis(common);
    for (const c of [cmd, sub]) c.on('error', () => {}); // reconnects by itself; operations report failures
    cmd.defineCommand('objectdbCommit', { lua: COMMIT_SCRIPT });
    cmd.defineCommand('objectdbRead', { lua: READ_SCRIPT });
    try {
      await cmd.connect();
      await sub.connect();
    } catch (e) {
      cmd.disconnect();
      sub.disconnect();
      throw new BackendError('redis', `connect to ${url}`, e);
    }
    return new RedisBackend(cmd, sub, options.prefix ?? 'vlcp:', options.commitRetryMs ?? 30000);
  }

  private objKey(k: Key): string {
    return `${this.prefix}o:${k}`;
  }

  async read(keys: readonly Key[]): Promise<BackendSnapshot> {
    if (this.closed) throw new ClosedError('read');
    let r: (string | number | null)[];
    try {
      r = await this.cmd.objectdbRead(keys.length + 1, this.seqKey, ...keys.map((k) => this.objKey(k)));
    } catch (e) {
      throw new BackendError('redis', 'read', e);
    }
    const values = new Map<Key, StoredValue>();
    keys.forEach((k, i) => {
      const text = r[1 + 2 * i] ?? null;
      const ver = r[2 + 2 * i] ?? null;
      values.set(k, { text: text === null ? null : String(text), version: ver === null ? 0 : Number(ver) });
    });
    return { seq: Number(r[0]), values };
  }

  async keys(): Promise<Key[]> {
    if (this.closed) throw new ClosedError('keys');
    const objPrefix = `${this.prefix}o:`;
    // SCAN, not KEYS: it never blocks the server for long, and may repeat a key (deduplicated).
    const found = new Set<Key>();
    try {
      let cursor = '0';
      do {
        const [next, batch] = await this.cmd.scan(
          cursor,
          'MATCH',
          `${globEscape(objPrefix)}*`,
          'COUNT',
          1000,
        );
        for (const k of batch) found.add(k.slice(objPrefix.length) as Key);
        cursor = next;
      } while (cursor !== '0');
    } catch (e) {
      throw new BackendError('redis', 'keys', e);
    }
    return [...found];
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    if (this.closed) throw new ClosedError('commit');
    const checks = [...request.checks];
    const writes = [...request.writes];
    const txMark = `${this.prefix}tx:${randomUUID()}`;
    const keys = [
      this.seqKey,
      txMark,
      ...checks.map(([k]) => this.objKey(k)),
      ...writes.map(([k]) => this.objKey(k)),
    ];
    const argv: string[] = [this.channel, String(checks.length), ...checks.map(([, v]) => String(v))];
    for (const [, t] of writes) argv.push(t === null ? 'd' : 's', t ?? '');
    const deadline = Date.now() + this.commitRetryMs;
    for (;;) {
      try {
        const r = await this.cmd.objectdbCommit(keys.length, ...keys, ...argv);
        if (r[0] === 1) return { ok: true, seq: Number(r[1]) };
        return { ok: false, conflicts: r.slice(1).map((i) => checks[Number(i) - 1]![0]) };
      } catch (e) {
        // Outcome unknown (connection lost): resend the same attempt; its tx mark makes that safe.
        if (this.closed || Date.now() > deadline)
          throw new BackendError('redis', 'commit (outcome unknown)', e);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async subscribe(listener: BackendListener): Promise<() => void> {
    this.listeners.add(listener);
    if (!this.subscribed) {
      this.subscribed = this.startSubscription();
    }
    await this.subscribed;
    return () => this.listeners.delete(listener);
  }

  private async startSubscription(): Promise<void> {
    const objPrefix = `${this.prefix}o:`;
    this.sub.on('message', (_ch: string, msg: string) => {
      const nl = msg.indexOf('\n');
      const seq = Number(msg.slice(0, nl));
      const raw = JSON.parse(msg.slice(nl + 1)) as [string, string?][];
      const writes = new Map<Key, string | null>();
      for (const [k, v] of raw) writes.set(k.slice(objPrefix.length) as Key, v ?? null);
      for (const l of this.listeners) l.onCommit({ seq, writes });
    });
    let first = true;
    this.sub.on('ready', () => {
      if (first) return;
      // Reconnected: notices sent while we were away are gone; re-subscribe, then resync.
      this.sub.subscribe(this.channel).then(
        () => {
          for (const l of this.listeners) l.onGap('redis subscriber reconnected');
        },
        () => {},
      );
    });
    await this.sub.subscribe(this.channel);
    first = false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cmd.disconnect();
    this.sub.disconnect();
  }
}

function parseRedisUrl(url: string): RedisOptions {
  if (url.startsWith('redis-sentinel://')) {
    // redis-sentinel://host:port,host:port/masterName[/db]
    const rest = url.slice('redis-sentinel://'.length);
    const [hosts = '', name, db] = rest.split('/');
    if (!name)
      throw new InvalidObjectDbUrlError(url, 'expected redis-sentinel://host:port,.../masterName[/db]');
    const sentinels = hosts.split(',').map((h) => {
      const [host, port] = h.split(':');
      return { host: host || '127.0.0.1', port: Number(port || 26379) };
    });
    return { sentinels, name, db: db ? Number(db) : 0 };
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidObjectDbUrlError(url, 'not a URL');
  }
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0)
    throw new InvalidObjectDbUrlError(url, `database ${u.pathname} is not a number`);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    db,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** A literal for a Redis MATCH pattern. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
