/**
 * What every storage backend provides. ObjectDB's semantics (transactions, retries, watches)
 * live above this interface, so they are the same on every backend.
 *
 * Versions: every commit gets the next global sequence number; a key's version is the
 * sequence number of the commit that last wrote it (0 = never written or deleted).
 */
import type { Key } from './key';

export interface StoredValue {
  /** JSON text, or null when the key holds nothing. */
  readonly text: string | null;
  readonly version: number;
}

/** A consistent read: exactly the commits with seq <= `seq` are reflected. */
export interface BackendSnapshot {
  readonly seq: number;
  readonly values: ReadonlyMap<Key, StoredValue>;
}

export interface CommitRequest {
  /** Key -> the version read; the commit fails if any differs now. */
  readonly checks: ReadonlyMap<Key, number>;
  /** Key -> new JSON text, or null to delete. */
  readonly writes: ReadonlyMap<Key, string | null>;
}

export type CommitResult =
  | { readonly ok: true; readonly seq: number }
  | { readonly ok: false; readonly conflicts: readonly Key[] };

/** One committed transaction, as notifications deliver it: all of its writes at once. */
export interface CommitNotice {
  readonly seq: number;
  readonly writes: ReadonlyMap<Key, string | null>;
}

export interface BackendListener {
  /** Called for commits in seq order, with no seq skipped while no gap is reported. */
  onCommit(notice: CommitNotice): void;
  /** Notices may have been missed (reconnect, expired session): views must re-read. */
  onGap(reason: string): void;
}

export interface Backend {
  readonly kind: 'embedded' | 'redis' | 'zookeeper';
  read(keys: readonly Key[]): Promise<BackendSnapshot>;
  commit(request: CommitRequest): Promise<CommitResult>;
  /**
   * Every key that holds a value, and possibly some that no longer do (read them to know):
   * not one consistent moment — ObjectDb.exportAll brackets it with the commit sequence.
   */
  keys(): Promise<Key[]>;
  /** Resolves once notices of every later commit will reach `listener`. */
  subscribe(listener: BackendListener): Promise<() => void>;
  close(): Promise<void>;
}
