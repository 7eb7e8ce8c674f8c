import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../../../src/objectdb';
import { EmbeddedBackend, ObjectDb } from '../../../src/objectdb';
import { conformanceSuite } from './conformance';

// One process owns the directory, so every "client" shares the one backend.
let dir: string;
let backend: EmbeddedBackend | null = null;
let users = 0;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

conformanceSuite('embedded', () => {
  dir = mkdtempSync(join(tmpdir(), 'objectdb-embedded-'));
  return {
    async open(options) {
      backend ??= await EmbeddedBackend.open(dir);
      const shared = backend;
      users++;
      const view: Backend = {
        kind: 'embedded',
        read: (k) => shared.read(k),
        commit: (r) => shared.commit(r),
        keys: () => shared.keys(),
        subscribe: (l) => shared.subscribe(l),
        close: async () => {
          if (--users === 0) await shared.close();
        },
      };
      return new ObjectDb(view, options);
    },
  };
});
