/**
 * The ZooKeeper backend (node-zookeeper-client).
 *
 * Layout under a base path B: `B/o/<key>` holds the JSON text (empty data = deleted; nodes
 * are never removed, so versions never restart and cannot be confused); `B/seq` is the
 * global commit counter (its znode version); `B/log/<seq>` holds each commit's writes.
 * A commit is one `multi`: version checks on every key read, the writes, a version-checked
 * bump of `B/seq` and the log node. Watchers follow `B/seq` and read the log in order.
 */
import { randomUUID } from 'node:crypto';
import zookeeper, { type Client, type Stat } from 'node-zookeeper-client';
import type {
  Backend,
  BackendListener,
  BackendSnapshot,
  CommitRequest,
  CommitResult,
  StoredValue,
} from '../backend';
import { BackendError, ClosedError, InvalidObjectDbUrlError, TransactionTooLargeError } from '../errors';
import type { Key } from '../key';

const EMPTY = Buffer.alloc(0);
const KEEP_LOG = 2000;
/** A request unanswered this long fails (and the session is replaced): twice the session timeout. */
const OP_TIMEOUT_MS = 20_000;
/**
 * ZooKeeper drops the connection of a request over `jute.maxbuffer` (1 MiB - 1 by default)
 * and the client resends it after reconnecting, forever: refuse such a commit up front.
 */
const DEFAULT_MAX_COMMIT_BYTES = 1_000_000;
/** Per operation of a multi: type, flags, version, path length and ACL, generously. */
const OP_OVERHEAD = 96;

export interface ZookeeperBackendOptions {
  /** Largest commit as one ZooKeeper request (values, paths, the log entry). Default 1,000,000. */
  readonly maxCommitBytes?: number;
  /** A request unanswered this long fails and the session is replaced. Default 20,000. */
  readonly opTimeoutMs?: number;
}

export class ZookeeperBackend implements Backend {
  readonly kind = 'zookeeper';
  private readonly listeners = new Set<BackendListener>();
  private closed = false;
  /** The session renewal under way, if any: a read retried after a timeout waits for it. */
  private renewal: Promise<void> | null = null;
  private watching = false;
  private delivered = -1;
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private client: Client,
    private readonly connectString: string,
    private readonly base: string,
    private readonly maxCommitBytes: number,
    private readonly opTimeoutMs: number,
  ) {}

  static async open(url: string, options: ZookeeperBackendOptions = {}): Promise<ZookeeperBackend> {
    const m = /^zookeeper:\/\/([^/]+)(\/.*)?$/.exec(url);
    if (!m) throw new InvalidObjectDbUrlError(url, 'expected zookeeper://host:port[,host:port]/chroot');
    const base = (m[2] ?? '/vlcp').replace(/\/+$/, '') || '/vlcp';
    const client = await connect(m[1]!, url);
    const b = new ZookeeperBackend(
      client,
      m[1]!,
      base,
      options.maxCommitBytes ?? DEFAULT_MAX_COMMIT_BYTES,
      options.opTimeoutMs ?? OP_TIMEOUT_MS,
    );
    b.watchState();
    for (const p of [`${base}/o`, `${base}/log`, `${base}/seq`])
      await b.call<string>((cb) => client.mkdirp(p, cb));
    return b;
  }

  private watchState(): void {
    let wasDisconnected = false;
    this.client.on('state', (s) => {
      if (this.closed) return;
      if (s === zookeeper.State.DISCONNECTED) wasDisconnected = true;
      if (s === zookeeper.State.SYNC_CONNECTED && wasDisconnected) {
        wasDisconnected = false;
        this.gap('zookeeper reconnected');
      }
      if (s === zookeeper.State.EXPIRED) void this.renewSession();
    });
  }

  /** An expired session loses its watches: open a new one, re-arm, resync everyone. */
  private renewSession(): Promise<void> {
    this.renewal ??= this.openNewSession().finally(() => {
      this.renewal = null;
    });
    return this.renewal;
  }

  private async openNewSession(): Promise<void> {
    const old = this.client;
    old.removeAllListeners('state');
    old.close();
    for (;;) {
      if (this.closed) return;
      try {
        const client = await connect(this.connectString, this.connectString);
        if (this.closed) {
          // Closed while this session was being opened: nobody else will close it, and an
          // open client keeps the process alive.
          client.close();
          return;
        }
        this.client = client;
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    this.watchState();
    this.gap('zookeeper session expired');
  }

  private gap(reason: string): void {
    if (!this.watching) return;
    this.delivered = -1;
    this.chain = this.chain.then(async () => {
      try {
        this.delivered = (await this.seqStat()).version;
      } catch {
        // Unreachable right now; the next state change comes back here.
      }
      for (const l of this.listeners) l.onGap(reason);
      this.armSeqWatch();
    });
  }

  private call<T>(fn: (cb: (err: Error | zookeeper.Exception | null, v: T) => void) => void): Promise<T> {
    return this.timed(new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v)))));
  }

  /**
   * A request the client never answers — it can sit in the queue of a client whose session
   * is gone for good — fails after opTimeoutMs instead of hanging its transaction, and the
   * session is replaced so later requests go to a live one.
   */
  private timed<T>(p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (!this.closed) void this.renewSession();
        reject(
          new BackendError('zookeeper', 'request', new Error(`no answer within ${this.opTimeoutMs} ms`)),
        );
      }, this.opTimeoutMs);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }

  private objPath(k: Key): string {
    return `${this.base}/o/${k}`;
  }

  private seqStat(): Promise<Stat> {
    return this.call<Stat>((cb) => this.client.exists(`${this.base}/seq`, cb));
  }

  private async readOne(k: Key): Promise<StoredValue> {
    try {
      const [data, stat] = await this.timed(
        new Promise<[Buffer | undefined, Stat]>((resolve, reject) =>
          this.client.getData(this.objPath(k), (err, d, s) => (err ? reject(err) : resolve([d, s]))),
        ),
      );
      return { text: data && data.length > 0 ? data.toString('utf8') : null, version: stat.version + 1 };
    } catch (e) {
      if (isCode(e, zookeeper.Exception.NO_NODE)) return { text: null, version: 0 };
      throw e;
    }
  }

  /**
   * A read is retried once when it fails, after any session renewal it set off: a request
   * sent on a connection that died unnoticed fails only at the op timeout, and the caller
   * (an API read right after an outage) should get the answer of the new session instead.
   * Reads change nothing, so a retry is always safe; commits are not retried (the outcome of
   * one that timed out is unknown).
   */
  async read(keys: readonly Key[]): Promise<BackendSnapshot> {
    try {
      return await this.readOnce(keys);
    } catch (e) {
      if (this.closed) throw e;
      // Bounded: with the server still out of reach the retry fails too, after its own timeout.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.renewal ?? Promise.resolve(),
        new Promise((r) => {
          timer = setTimeout(r, this.opTimeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
      return this.readOnce(keys);
    }
  }

  private async readOnce(keys: readonly Key[]): Promise<BackendSnapshot> {
    if (this.closed) throw new ClosedError('read');
    try {
      // Bracketed by the commit counter: unchanged before and after means one consistent moment.
      for (let attempt = 0; ; attempt++) {
        const before = (await this.seqStat()).version;
        const vals = await Promise.all(keys.map((k) => this.readOne(k)));
        const after = (await this.seqStat()).version;
        if (before === after) return { seq: before, values: new Map(keys.map((k, i) => [k, vals[i]!])) };
        if (attempt > 3) await new Promise((r) => setTimeout(r, Math.random() * 20));
      }
    } catch (e) {
      throw new BackendError('zookeeper', 'read', e);
    }
  }

  async keys(): Promise<Key[]> {
    if (this.closed) throw new ClosedError('keys');
    try {
      // Object nodes are never removed (a deleted key's node is empty): callers read them.
      return await this.call<Key[]>((cb) => this.client.getChildren(`${this.base}/o`, cb as never));
    } catch (e) {
      throw new BackendError('zookeeper', 'keys', e);
    }
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    if (this.closed) throw new ClosedError('commit');
    this.checkCommitSize(request);
    try {
      for (;;) {
        const seqVersion = (await this.seqStat()).version;
        const blind = [...request.writes.keys()].filter((k) => !request.checks.has(k));
        const blindVersions = await Promise.all(blind.map((k) => this.readOne(k)));
        // Blind writes (keys not read) overwrite whatever is there: -1 = exists, 0 = create.
        const known = new Map<Key, number>(request.checks);
        for (let i = 0; i < blind.length; i++) known.set(blind[i]!, blindVersions[i]!.version > 0 ? -1 : 0);
        const tx = this.client.transaction();
        for (const [k, v] of request.checks) {
          if (request.writes.has(k)) continue;
          if (v > 0) tx.check(this.objPath(k), v - 1);
          else createNode(tx, this.objPath(k), EMPTY); // fails if it appeared meanwhile
        }
        for (const [k, text] of request.writes) {
          const data = text === null ? EMPTY : Buffer.from(text);
          const v = known.get(k)!;
          if (v > 0) tx.setData(this.objPath(k), data, v - 1);
          else if (v === -1) tx.setData(this.objPath(k), data, -1);
          else createNode(tx, this.objPath(k), data);
        }
        const seq = seqVersion + 1;
        const id = randomUUID();
        const notice = JSON.stringify({ id, w: [...request.writes] });
        tx.setData(`${this.base}/seq`, EMPTY, seqVersion);
        tx.create(`${this.base}/log/${pad(seq)}`, Buffer.from(notice));
        const outcome = await this.timed(
          new Promise<'applied' | 'lost' | 'unknown'>((resolve) =>
            tx.commit((err) => {
              if (!err) resolve('applied');
              else if (
                isCode(err, zookeeper.Exception.BAD_VERSION) ||
                isCode(err, zookeeper.Exception.NODE_EXISTS)
              )
                resolve('lost');
              else resolve('unknown');
            }),
          ),
        ).catch(() => 'unknown' as const);
        if (outcome === 'unknown' && (await this.resolveUnknown(seq, id))) return { ok: true, seq };
        if (outcome === 'applied') {
          if (seq % 100 === 0) this.prune(seq - KEEP_LOG);
          return { ok: true, seq };
        }
        // Lost a race: on one of our keys (a real conflict) or only on the counter (try again).
        const stale: Key[] = [];
        for (const [k, v] of request.checks) if ((await this.readOne(k)).version !== v) stale.push(k);
        if (stale.length > 0) return { ok: false, conflicts: stale };
      }
    } catch (e) {
      throw new BackendError('zookeeper', 'commit', e);
    }
  }

  /** The multi a commit becomes: checks, writes, the counter bump and the log entry (a copy of the writes). */
  private checkCommitSize(request: CommitRequest): void {
    let bytes = OP_OVERHEAD * 2 + Buffer.byteLength(`${this.base}/log/${pad(0)}`) + 64;
    for (const k of request.checks.keys()) bytes += OP_OVERHEAD + Buffer.byteLength(this.objPath(k));
    for (const [k, text] of request.writes) {
      // A new key is a create plus a setData (two ops, the data once).
      bytes +=
        2 * (OP_OVERHEAD + Buffer.byteLength(this.objPath(k))) +
        (text === null ? 0 : Buffer.byteLength(text));
    }
    bytes += Buffer.byteLength(
      JSON.stringify({ id: '00000000-0000-0000-0000-000000000000', w: [...request.writes] }),
    );
    if (bytes <= this.maxCommitBytes) return;
    const largest = [...request.writes]
      .sort((a, b) => (b[1]?.length ?? 0) - (a[1]?.length ?? 0))
      .slice(0, 3)
      .map(([k, t]) => `${k} (${t === null ? 0 : Buffer.byteLength(t)} bytes)`);
    throw new TransactionTooLargeError('zookeeper', bytes, this.maxCommitBytes, largest);
  }

  /**
   * The connection dropped with our multi in flight: once reachable again, our log node
   * (found by its id) tells whether it was applied. Gives up after 30 s.
   */
  private async resolveUnknown(seq: number, id: string): Promise<boolean> {
    const deadline = Date.now() + 30000;
    for (;;) {
      if (this.closed || Date.now() > deadline) throw new Error('connection lost; commit outcome unknown');
      try {
        const data = await this.call<Buffer>((cb) => this.client.getData(`${this.base}/log/${pad(seq)}`, cb));
        return (JSON.parse(data.toString('utf8')) as { id: string }).id === id;
      } catch (e) {
        if (isCode(e, zookeeper.Exception.NO_NODE)) return false;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private prune(below: number): void {
    for (let s = below - 99; s <= below; s++) {
      if (s > 0) this.client.remove(`${this.base}/log/${pad(s)}`, -1, () => {});
    }
  }

  async subscribe(listener: BackendListener): Promise<() => void> {
    this.listeners.add(listener);
    if (!this.watching) {
      this.watching = true;
      this.delivered = (await this.seqStat()).version;
      this.armSeqWatch();
    }
    return () => this.listeners.delete(listener);
  }

  private armSeqWatch(): void {
    if (this.closed) return;
    this.client.exists(
      `${this.base}/seq`,
      () => this.armSeqWatch(),
      (err, stat) => {
        if (err || !stat) return; // state handling re-arms after reconnects
        const upTo = stat.version;
        this.chain = this.chain.then(() => this.deliverUpTo(upTo));
      },
    );
  }

  private async deliverUpTo(upTo: number): Promise<void> {
    if (this.delivered < 0) return;
    while (this.delivered < upTo) {
      const seq = this.delivered + 1;
      let data: Buffer | undefined;
      try {
        data = await this.call<Buffer | undefined>((cb) =>
          this.client.getData(`${this.base}/log/${pad(seq)}`, cb),
        );
      } catch (e) {
        // Pruned before we read it (or unreachable): views must re-read.
        if (!this.closed) this.gap(`missed commit ${seq}: ${(e as Error).message}`);
        return;
      }
      const writes = new Map(
        (JSON.parse(data?.toString('utf8') ?? '{"w":[]}') as { w: [Key, string | null][] }).w,
      );
      this.delivered = seq;
      for (const l of this.listeners) l.onCommit({ seq, writes });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }
}

/**
 * Creates a node at version 1: the client library cannot check for version 0. The data
 * travels once, in the setData (requests are size-limited).
 */
function createNode(tx: ReturnType<Client['transaction']>, path: string, data: Buffer): void {
  tx.create(path, EMPTY);
  tx.setData(path, data, -1);
}

function pad(n: number): string {
  return String(n).padStart(12, '0');
}

function isCode(e: unknown, code: number): boolean {
  return (
    typeof (e as { getCode?: () => number }).getCode === 'function' &&
    (e as { getCode: () => number }).getCode() === code
  );
}

function connect(connectString: string, what: string): Promise<Client> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: 10000, spinDelay: 200, retries: 2 });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.close();
      reject(new BackendError('zookeeper', `connect to ${what}`, new Error('no session within 15 s')));
    }, 15000);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}
