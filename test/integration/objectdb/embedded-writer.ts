/** Child process for the kill -9 test: writes forever, printing each acknowledged commit. */
import { openObjectDb } from '../../../src/objectdb';

async function main(): Promise<void> {
  const db = await openObjectDb(`embedded:${process.argv[2]}`);
  process.stdout.write('ready\n');
  const routine = async (r: number) => {
    for (let i = 0; ; i++) {
      const key = `w.${r}.${i}`;
      await db.transact([key, 'w.count'], (v) => ({
        [key]: { r, i, pad: 'x'.repeat(i % 200) },
        'w.count': ((v.get('w.count' as never) as number) ?? 0) + 1,
      }));
      process.stdout.write(`ack ${key}\n`);
    }
  };
  await Promise.all(Array.from({ length: 20 }, (_, r) => routine(r)));
}
void main();
