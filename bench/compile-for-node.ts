/**
 * Compiles one TypeScript entry file of this repository, with everything it imports, into a
 * private temporary folder with `tsc`, so a benchmark can run it as plain JavaScript under
 * `node` (no tsx, no loader), as `scripts/start` runs the controller from `dist`. The
 * project's compiler settings (tsconfig.json: CommonJS, ES2022) are kept; only where the
 * output goes changes. The folder links the repository's node_modules, so packages resolve as
 * they do from `dist`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

export interface CompiledEntry {
  /** The compiled entry: run it with `node` (or `fork`). */
  readonly path: string;
  /** How long tsc took, ms. */
  readonly compileMs: number;
  /** Removes the temporary folder. */
  dispose(): void;
}

/** Thrown when tsc rejects the entry or what it imports; carries tsc's report. */
export class CompileError extends Error {
  constructor(
    readonly entry: string,
    readonly report: string,
  ) {
    super(`tsc could not compile ${entry}:\n${report}`);
    this.name = 'CompileError';
  }
}

/** `entry` relative to `repoRoot` (e.g. `bench/convergence-controller.ts`). */
export async function compileForNode(repoRoot: string, entry: string): Promise<CompiledEntry> {
  const root = resolve(repoRoot);
  const source = resolve(root, entry);
  const rel = relative(root, source);
  if (rel.startsWith('..') || !rel.endsWith('.ts'))
    throw new CompileError(entry, 'not a .ts file in the repository');
  const dir = mkdtempSync(join(tmpdir(), 'vlcp-ts-bench-build-'));
  try {
    const outDir = join(dir, 'out');
    const tsconfig = join(dir, 'tsconfig.json');
    writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: join(root, 'tsconfig.json'),
        // Layout as under the repository root, so relative imports (and JSON) resolve.
        // Type packages are looked up beside the config by default: this one is elsewhere.
        compilerOptions: {
          rootDir: root,
          outDir,
          types: ['node'],
          typeRoots: [join(root, 'node_modules', '@types')],
          noEmit: false,
          incremental: false,
        },
        files: [source],
        include: [],
      }),
    );
    const t0 = process.hrtime.bigint();
    try {
      await promisify(execFile)(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], {
        cwd: root,
        maxBuffer: 16 * 2 ** 20,
      });
    } catch (e) {
      const out = e as { stdout?: string; stderr?: string; message?: string };
      throw new CompileError(entry, `${out.stdout ?? ''}${out.stderr ?? ''}` || String(out.message));
    }
    const compileMs = Number(process.hrtime.bigint() - t0) / 1e6;
    symlinkSync(join(root, 'node_modules'), join(outDir, 'node_modules'), 'dir');
    return {
      path: join(outDir, rel.replace(/\.ts$/, '.js')),
      compileMs,
      dispose: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
