/**
 * Child process for the concurrency test: 20 routines doing random transfers between 100
 * accounts for DURATION ms. Prints `try ID` before and `ack ID` after each commit; each
 * transfer also writes `xfer.ID` in the same transaction, so the parent can tell which of
 * the unacknowledged ones landed. It also watches the accounts and prints `bad SEQ TOTAL`
 * for any snapshot whose total is off, and `watched N` every second.
 */
import { openObjectDb } from '../../../src/objectdb';

async function main(): Promise<void> {
  const [url = '', name = 'w', durationText = '20000'] = process.argv.slice(2);
  const db = await openObjectDb(url);
  const accounts = Array.from({ length: 100 }, (_, i) => `acct.${i}`);
  const w = await db.watch(accounts);
  let watched = 0;
  w.onChange((s) => {
    watched++;
    let t = 0;
    for (const v of s.values.values()) t += v as number;
    if (t !== 100 * 1000) process.stdout.write(`bad ${s.seq} ${t}\n`);
  });
  const ticker = setInterval(() => process.stdout.write(`watched ${watched}\n`), 1000);
  const end = Date.now() + Number(durationText);
  let n = 0;
  const routine = async () => {
    while (Date.now() < end) {
      const a = Math.floor(Math.random() * 100);
      let b = Math.floor(Math.random() * 99);
      if (b >= a) b++;
      const amt = 1 + Math.floor(Math.random() * 10);
      const id = `${name}-${n++}`;
      const ka = `acct.${a}`;
      const kb = `acct.${b}`;
      process.stdout.write(`try ${id}\n`);
      try {
        await db.transact([ka, kb], (v) => ({
          [ka]: (v.get(ka as never) as number) - amt,
          [kb]: (v.get(kb as never) as number) + amt,
          [`xfer.${id}`]: { a, b, amt },
        }));
        process.stdout.write(`ack ${id}\n`);
      } catch (e) {
        // A backend outage: the outcome is unknown; the parent checks xfer.ID.
        process.stdout.write(`err ${id} ${(e as Error).name}\n`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: 20 }, routine));
  clearInterval(ticker);
  process.stdout.write(`watched ${watched}\n`);
  w.close();
  await db.close();
  process.stdout.write('done\n');
}
void main();
