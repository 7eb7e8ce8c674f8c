/** Child process: watches `probe` and prints `snap SEQ VALUE resyncs N` for every snapshot. */
import { openObjectDb } from '../../../src/objectdb';

async function main(): Promise<void> {
  const db = await openObjectDb(process.argv[2] ?? '');
  const w = await db.watch(['probe']);
  const print = (s: { seq: number; values: ReadonlyMap<string, unknown> }) =>
    process.stdout.write(
      `snap ${s.seq} ${JSON.stringify(s.values.get('probe') ?? null)} resyncs ${w.resyncCount}\n`,
    );
  print(w.current());
  w.onChange(print);
}
void main();
