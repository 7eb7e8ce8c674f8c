/** One process owns an embedded store's directory: a LOCK file holding its PID. */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DirectoryLockedError } from '../errors';

export interface DirLock {
  release(): void;
}

export function lockDirectory(dir: string): DirLock {
  const path = join(dir, 'LOCK');
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        release: () => {
          try {
            unlinkSync(path);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) throw new DirectoryLockedError(dir, owner);
    // The owner died without releasing (kill -9): the lock is stale.
    unlinkSync(path);
  }
  throw new DirectoryLockedError(dir, -1);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
