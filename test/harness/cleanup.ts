/**
 * Everything a test starts registers how to stop it here. `cleanupAll()` (called from
 * afterAll, and on SIGINT/SIGTERM/exit) runs the cleanups in reverse order of
 * registration, so namespaces go after the daemons in them.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from './process-alive';

export interface Cleanup {
  readonly what: string;
  /** Asynchronous stop, used from afterAll. */
  readonly run: () => Promise<void>;
  /** Best-effort synchronous stop for process exit (signals by PID, deletes namespaces). */
  readonly runSync: () => void;
}

const cleanups: Cleanup[] = [];
let handlersInstalled = false;

export function registerCleanup(c: Cleanup): () => void {
  installHandlers();
  cleanups.push(c);
  return () => {
    const i = cleanups.indexOf(c);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

export async function cleanupAll(): Promise<void> {
  const errors: string[] = [];
  while (cleanups.length > 0) {
    const c = cleanups.pop()!;
    try {
      await c.run();
    } catch (e) {
      errors.push(`${c.what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (errors.length > 0) throw new Error(`cleanup failed:\n${errors.join('\n')}`);
}

function cleanupAllSync(): void {
  while (cleanups.length > 0) {
    try {
      cleanups.pop()!.runSync();
    } catch {
      // Exiting anyway; nothing more to do.
    }
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', cleanupAllSync);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      cleanupAllSync();
      process.kill(process.pid, sig);
    });
  }
}

/** The root of every instance folder the harness makes; one sub-folder per instance. */
export const HARNESS_ROOT = join(tmpdir(), 'vlcp-ts-test');

/**
 * A new instance folder, marked with the PID of the test process that owns it. Folders
 * left by a test process that died (kill -9) are reclaimed here: their daemons are stopped
 * by the PIDs in their pid files, then the folder is removed.
 */
export function instanceDir(kind: string): string {
  mkdirSync(HARNESS_ROOT, { recursive: true });
  reclaimStale();
  const dir = mkdtempSync(join(HARNESS_ROOT, `${kind}-`));
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  return dir;
}

/** Stops the processes named by the pid files in `dir` (SIGKILL: they are orphans). */
export function killPidFiles(dir: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.pid') || f === 'owner.pid') continue;
    const pid = Number(readFileSync(join(dir, f), 'utf8').trim());
    if (Number.isInteger(pid) && pid > 1 && processAlive(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

function reclaimStale(): void {
  for (const name of readdirSync(HARNESS_ROOT)) {
    const dir = join(HARNESS_ROOT, name);
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(join(dir, 'owner.pid'), 'utf8').trim());
    } catch {
      continue;
    }
    if (!Number.isInteger(owner) || processAlive(owner)) continue;
    killPidFiles(dir);
    const netns = join(dir, 'netns');
    if (existsSync(netns)) {
      for (const ns of readFileSync(netns, 'utf8').split('\n').filter(Boolean)) {
        try {
          execFileSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
        } catch {
          // Already gone.
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
