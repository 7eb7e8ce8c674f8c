/**
 * The embedded backend: state in memory, durable through an fsync'd append-only log with
 * group commit, compacted into a snapshot (write temp, fsync, rename, fsync dir, truncate).
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type {
  Backend,
  BackendListener,
  BackendSnapshot,
  CommitNotice,
  CommitRequest,
  CommitResult,
  StoredValue,
} from '../backend';
import { BackendError, ClosedError, CorruptStoreError } from '../errors';
import type { Key } from '../key';
import { type DirLock, lockDirectory } from './dir-lock';
import { decodeLog, encodeRecord } from './log-record';

export interface EmbeddedOptions {
  /** Log size that triggers compaction (default 64 MiB). */
  readonly compactAfterBytes?: number;
}

interface Pending {
  readonly record: Buffer;
  readonly notice: CommitNotice;
  readonly resolve: (r: CommitResult) => void;
  readonly reject: (e: unknown) => void;
}

const SNAPSHOT = 'snapshot.json';
const LOG = 'log';
const SNAPSHOT_MAGIC = 'vlcp-objectdb-snapshot-v1';

export class EmbeddedBackend implements Backend {
  readonly kind = 'embedded';
  private readonly data = new Map<Key, StoredValue>();
  private seq = 0;
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private readonly listeners = new Set<BackendListener>();
  private failed: unknown = null;
  private closed = false;
  private logBytes = 0;
  /** fsyncs done; with commits acknowledged, shows how much group commit shares. */
  fsyncCount = 0;

  private constructor(
    readonly dir: string,
    private readonly lock: DirLock,
    private readonly log: FileHandle,
    private readonly compactAfterBytes: number,
  ) {}

  static async open(dir: string, options: EmbeddedOptions = {}): Promise<EmbeddedBackend> {
    mkdirSync(dir, { recursive: true });
    const lock = lockDirectory(dir);
    try {
      const state = recover(dir);
      const log = await open(join(dir, LOG), 'a');
      const b = new EmbeddedBackend(dir, lock, log, options.compactAfterBytes ?? 64 * 1024 * 1024);
      for (const [k, v] of state.data) b.data.set(k, v);
      b.seq = state.seq;
      b.logBytes = state.logBytes;
      return b;
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  async read(keys: readonly Key[]): Promise<BackendSnapshot> {
    this.usable('read');
    const values = new Map<Key, StoredValue>();
    for (const k of keys) values.set(k, this.data.get(k) ?? { text: null, version: 0 });
    return { seq: this.seq, values };
  }

  async keys(): Promise<Key[]> {
    this.usable('keys');
    return [...this.data.keys()];
  }

  commit(request: CommitRequest): Promise<CommitResult> {
    this.usable('commit');
    const conflicts: Key[] = [];
    for (const [k, v] of request.checks) if ((this.data.get(k)?.version ?? 0) !== v) conflicts.push(k);
    if (conflicts.length > 0) return Promise.resolve({ ok: false, conflicts });
    const seq = ++this.seq;
    const writes = [...request.writes];
    for (const [k, text] of writes) {
      if (text === null) this.data.delete(k);
      else this.data.set(k, { text, version: seq });
    }
    // Visible in memory now; acknowledged (and notified) only once its record is fsync'd.
    const record = encodeRecord({ seq, writes });
    return new Promise((resolve, reject) => {
      this.pending.push({ record, notice: { seq, writes: request.writes }, resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop().finally(() => (this.flushing = null));
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const buf = Buffer.concat(batch.map((p) => p.record));
        await this.log.write(buf);
        await this.log.datasync();
        this.fsyncCount++;
        this.logBytes += buf.length;
      } catch (e) {
        // Memory is now ahead of disk: refuse all further work rather than diverge.
        this.failed = e;
        const err = new BackendError('embedded', 'log write', e);
        for (const p of [...batch, ...this.pending]) p.reject(err);
        this.pending = [];
        return;
      }
      for (const p of batch) p.resolve({ ok: true, seq: p.notice.seq });
      for (const p of batch) for (const l of this.listeners) l.onCommit(p.notice);
      if (this.logBytes >= this.compactAfterBytes) await this.compact();
    }
  }

  /** Writes the whole state as a snapshot and empties the log. */
  async compact(): Promise<void> {
    // Captured synchronously: exactly the commits with seq <= snapSeq.
    const snapSeq = this.seq;
    const entries = [...this.data];
    const tmp = join(this.dir, `${SNAPSHOT}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
      // One JSON line per entry, written in chunks: the state may exceed the largest string.
      let crc = 0;
      const put = (text: string): void => {
        const b = Buffer.from(text);
        crc = crc32(b, crc);
        writeSync(fd, b);
      };
      put(`${SNAPSHOT_MAGIC} ${snapSeq} ${entries.length}\n`);
      for (let i = 0; i < entries.length; i += 1000) {
        put(
          entries
            .slice(i, i + 1000)
            .map(([k, v]) => `${JSON.stringify([k, v.text, v.version])}\n`)
            .join(''),
        );
      }
      writeSync(fd, `end ${crc.toString(16)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(this.dir, SNAPSHOT));
    const dfd = openSync(this.dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
    // Records still pending have seq <= snapSeq or later; replay skips the former.
    await this.log.truncate(0);
    await this.log.datasync();
    this.logBytes = 0;
  }

  async subscribe(listener: BackendListener): Promise<() => void> {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    while (this.flushing) await this.flushing;
    this.closed = true;
    await this.log.close();
    this.lock.release();
  }

  private usable(op: string): void {
    if (this.closed) throw new ClosedError(op);
    if (this.failed) throw new BackendError('embedded', op, this.failed);
  }
}

interface Recovered {
  readonly data: Map<Key, StoredValue>;
  readonly seq: number;
  readonly logBytes: number;
}

function recover(dir: string): Recovered {
  const data = new Map<Key, StoredValue>();
  let seq = 0;
  const snapPath = join(dir, SNAPSHOT);
  if (existsSync(snapPath)) {
    const buf = readFileSync(snapPath);
    const endAt = buf.lastIndexOf('end ', buf.length - 2);
    const crcText =
      endAt >= 0
        ? buf
            .subarray(endAt + 4)
            .toString()
            .trim()
        : '';
    if (endAt < 0 || Number.parseInt(crcText, 16) !== crc32(buf.subarray(0, endAt))) {
      throw new CorruptStoreError(snapPath, 'checksum mismatch');
    }
    const lines = buf.subarray(0, endAt).toString('utf8').split('\n');
    const [magic, seqText, countText] = (lines[0] ?? '').split(' ');
    if (magic !== SNAPSHOT_MAGIC) throw new CorruptStoreError(snapPath, 'not an ObjectDB snapshot');
    for (let i = 1; i <= Number(countText); i++) {
      const [k, t, v] = JSON.parse(lines[i]!) as [Key, string, number];
      data.set(k, { text: t, version: v });
    }
    seq = Number(seqText);
  }
  const logPath = join(dir, LOG);
  if (!existsSync(logPath)) return { data, seq, logBytes: 0 };
  const buf = readFileSync(logPath);
  const { entries, validBytes } = decodeLog(logPath, buf);
  for (const e of entries) {
    if (e.seq <= seq) continue;
    if (e.seq !== seq + 1) throw new CorruptStoreError(logPath, `expected seq ${seq + 1}, found ${e.seq}`);
    seq = e.seq;
    for (const [k, t] of e.writes) {
      if (t === null) data.delete(k);
      else data.set(k, { text: t, version: seq });
    }
  }
  if (validBytes < buf.length) {
    // Torn tail from a crash mid-append: never acknowledged, so cut it off.
    const fd = openSync(logPath, 'r+');
    try {
      ftruncateSync(fd, validBytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  return { data, seq, logBytes: validBytes };
}
