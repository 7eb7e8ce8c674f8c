import { SerialQueue } from '../../../../src/modules/viperflow/serial-queue';
import { StagedTx } from '../../../../src/modules/viperflow/staged-tx';
import type { JsonValue, WalkTx } from '../../../../src/objectdb';
import { toKey } from '../../../../src/objectdb';

/** A WalkTx over a Map that counts reads and writes. */
function fakeTx(initial: Record<string, JsonValue>) {
  const store = new Map<string, JsonValue>(Object.entries(initial));
  const log = { reads: [] as string[][], writes: [] as [string, JsonValue | null][] };
  const tx: WalkTx = {
    keysRead: [],
    async get(k) {
      return (await tx.getMany([k]))[0] ?? null;
    },
    async getMany(keys) {
      log.reads.push([...keys]);
      return keys.map((k) => store.get(k) ?? null);
    },
    set(k, v) {
      log.writes.push([k, v]);
    },
    delete(k) {
      log.writes.push([k, null]);
    },
  };
  return { tx, log };
}

describe('StagedTx', () => {
  it('reads each key once, keeps edits in memory and writes each edited key once', async () => {
    const { tx, log } = fakeTx({ s: [1], m: { n: 1 } });
    const st = new StagedTx(tx);
    await st.load([toKey('s'), toKey('m'), toKey('s')]);
    for (let i = 0; i < 100; i++) (await st.edit<number[]>(toKey('s'), () => [])).push(i);
    (await st.edit<number[]>(toKey('fresh'), () => [])).push(1);
    expect(await st.editIfPresent(toKey('absent'))).toBeNull();
    st.put(toKey('m'), null);
    expect(log.writes).toEqual([]);
    st.flush();
    expect(log.reads).toEqual([['s', 'm'], ['fresh'], ['absent']]);
    expect(log.writes.map(([k]) => k).sort()).toEqual(['fresh', 'm', 's']);
    expect(log.writes.find(([k]) => k === 's')![1]).toHaveLength(101);
    expect(log.writes.find(([k]) => k === 'm')![1]).toBeNull();
  });
});

describe('SerialQueue', () => {
  it('runs jobs one at a time in call order; a failing job does not stop the next', async () => {
    const q = new SerialQueue();
    const events: string[] = [];
    const job =
      (name: string, fail = false) =>
      async () => {
        events.push(`start ${name}`);
        await new Promise((r) => setImmediate(r));
        events.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([q.run(job('a')), q.run(job('b', true)), q.run(job('c'))]);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
