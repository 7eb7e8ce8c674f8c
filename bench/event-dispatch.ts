/**
 * Event dispatch throughput with 10, 10k and 100k unrelated waiting matchers.
 * Baseline in the same run: Node's EventEmitter emitting to one listener.
 * Run: npm run bench:event-dispatch
 */
import { EventEmitter } from 'node:events';
import { defineEvent, Scheduler } from '../src/async';

const Packet = defineEvent<{ conn: string; kind: string; n: number }>()('bench.packet', ['conn', 'kind']);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000_000);

async function dispatchRate(waiters: number): Promise<number> {
  const s = new Scheduler();
  for (let i = 0; i < waiters; i++) s.subscribe(Packet.match({ conn: `other${i}` }), () => undefined);
  let delivered = 0;
  s.subscribe(Packet.match({ conn: 'a', kind: 'data' }), () => delivered++);
  const events = [
    Packet.create({ conn: 'a', kind: 'data', n: 0 }),
    Packet.create({ conn: 'b', kind: 'data', n: 1 }),
  ];
  const start = process.hrtime.bigint();
  for (let i = 0; i < EVENTS; i++) {
    s.emit(events[i & 1]!);
    // Keep the queue bounded the way a real producer (a socket) would.
    if ((i & 0xffff) === 0xffff) await s.drained();
  }
  await s.drained();
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  if (delivered !== EVENTS / 2) throw new Error(`delivered ${delivered}, expected ${EVENTS / 2}`);
  return EVENTS / secs;
}

function emitterRate(): number {
  const em = new EventEmitter();
  let delivered = 0;
  em.on('a', () => delivered++);
  const e = { n: 0 };
  const start = process.hrtime.bigint();
  for (let i = 0; i < EVENTS; i++) em.emit(i & 1 ? 'b' : 'a', e);
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  if (delivered !== EVENTS / 2) throw new Error('emitter miscounted');
  return EVENTS / secs;
}

async function main(): Promise<void> {
  await dispatchRate(10); // warm-up
  const baseline = emitterRate();
  console.log(`events per run: ${EVENTS}; half match a subscriber, half match none`);
  console.log(`baseline EventEmitter.emit: ${(baseline / 1e6).toFixed(2)} M events/s`);
  console.log('waiters    M events/s   ns/event   vs EventEmitter');
  const rates: number[] = [];
  for (const w of [10, 10_000, 100_000]) {
    const r = await dispatchRate(w);
    rates.push(r);
    console.log(
      `${String(w).padStart(7)}    ${(r / 1e6).toFixed(2).padStart(10)}   ${(1e9 / r).toFixed(0).padStart(8)}   ${(r / baseline).toFixed(2)}x`,
    );
  }
  const flat = rates[0]! / rates[2]!;
  console.log(`cost at 100k waiters / cost at 10 waiters: ${flat.toFixed(2)}x (target <= 2x)`);
  console.log(`target >= 1.00 M events/s at 100k waiters: ${rates[2]! >= 1e6 ? 'met' : 'NOT met'}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
