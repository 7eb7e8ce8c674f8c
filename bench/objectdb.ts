/**
 * ObjectDB throughput and notification latency per backend, each next to a raw baseline
 * measured in the same run: `npx tsx bench/objectdb.ts [embedded|redis|zookeeper ...]`.
 */
import { spawn } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { type ObjectDb, openObjectDb } from '../src/objectdb';
import { cleanupAll, startRedis, startZookeeper } from '../test/harness';

const CONCURRENCY = 50;

async function throughput(db: ObjectDb, keysPerTx: number, total: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, r) => {
      while (next < total) {
        next++;
        const keys = Array.from({ length: keysPerTx }, (_, i) => `bench.${keysPerTx}.${r}.${i}`);
        await db.transact(keys, (v) =>
          Object.fromEntries(keys.map((k) => [k, ((v.get(k as never) as number) ?? 0) + 1])),
        );
      }
    }),
  );
  return total / ((performance.now() - start) / 1000);
}

async function latency(url: string, db: ObjectDb, count: number): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--watcher', url, String(count)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    }),
  );
  await ready;
  const done = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  for (let i = 0; i < count; i++) {
    await db.transact([], () => ({ 'lat.key': { t: performance.timeOrigin + performance.now(), i } }));
    await new Promise((r) => setTimeout(r, 5));
  }
  await done;
  const m = /latency (\S+) (\S+)/.exec(out);
  return m ? `p50 ${m[1]} ms, p99 ${m[2]} ms` : 'no result';
}

function row(what: string, value: string): void {
  console.log(`${what.padEnd(52)} ${value}`);
}

async function benchEmbedded(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'objectdb-bench-'));
  try {
    const fd = openSync(join(dir, 'raw'), 'a');
    const n = 2000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      writeSync(fd, Buffer.alloc(64, 1));
      fdatasyncSync(fd);
    }
    const raw = n / ((performance.now() - t0) / 1000);
    closeSync(fd);
    row('embedded baseline: append 64 B + fdatasync, serial', `${raw.toFixed(0)} ops/s`);
    const db = await openObjectDb(`embedded:${join(dir, 'db')}`);
    row(
      'embedded single-key tx (50 routines, durable)',
      `${(await throughput(db, 1, 50000)).toFixed(0)} tx/s`,
    );
    row('embedded 5-key tx (50 routines, durable)', `${(await throughput(db, 5, 20000)).toFixed(0)} tx/s`);
    const w = await db.watch(['lat.key']);
    const samples: number[] = [];
    w.onChange((s) => {
      const v = s.values.get('lat.key' as never) as { t: number } | null;
      if (v) samples.push(performance.now() - v.t);
    });
    for (let i = 0; i < 500; i++) await db.transact([], () => ({ 'lat.key': { t: performance.now(), i } }));
    samples.sort((a, b) => a - b);
    row(
      'embedded commit -> watcher (same process)',
      `p50 ${samples[Math.floor(samples.length / 2)]!.toFixed(2)} ms, p99 ${samples[Math.floor(samples.length * 0.99)]!.toFixed(2)} ms`,
    );
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchRedis(): Promise<void> {
  const redis = await startRedis();
  const plain = new Redis(redis.port, '127.0.0.1');
  const n = 50000;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, r) => {
      while (next < n) {
        next++;
        await plain.set(`raw.${r}`, String(next));
      }
    }),
  );
  row(
    'redis baseline: plain SET (50 routines, one client)',
    `${(n / ((performance.now() - t0) / 1000)).toFixed(0)} ops/s`,
  );
  plain.disconnect();
  const url = `${redis.url}/0`;
  const db = await openObjectDb(url);
  row('redis single-key tx (50 routines)', `${(await throughput(db, 1, 30000)).toFixed(0)} tx/s`);
  row('redis 5-key tx (50 routines)', `${(await throughput(db, 5, 15000)).toFixed(0)} tx/s`);
  row('redis commit -> other process watcher', await latency(url, db, 500));
  await db.close();
}

async function benchZookeeper(): Promise<void> {
  const zk = await startZookeeper();
  const url = `zookeeper://${zk.connectString}/bench`;
  const db = await openObjectDb(url);
  row('zookeeper single-key tx (50 routines)', `${(await throughput(db, 1, 3000)).toFixed(0)} tx/s`);
  row('zookeeper 5-key tx (50 routines)', `${(await throughput(db, 5, 1500)).toFixed(0)} tx/s`);
  row('zookeeper commit -> other process watcher', await latency(url, db, 300));
  await db.close();
}

/** The other process of the latency run (`--watcher URL COUNT`). */
async function watcherMain(url: string, countText: string): Promise<void> {
  const db = await openObjectDb(url);
  const w = await db.watch(['lat.key']);
  const samples: number[] = [];
  const want = Number(countText);
  process.stdout.write('ready\n');
  w.onChange((s) => {
    const v = s.values.get('lat.key' as never) as { t: number } | null;
    if (!v) return;
    samples.push(performance.timeOrigin + performance.now() - v.t);
    if (samples.length === want) {
      samples.sort((a, b) => a - b);
      const p = (q: number) =>
        samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(2);
      process.stdout.write(`latency ${p(0.5)} ${p(0.99)}\n`);
      void db.close().then(() => process.exit(0));
    }
  });
}

async function main(): Promise<void> {
  const which = process.argv.slice(2);
  const all = which.length === 0;
  try {
    if (all || which.includes('embedded')) await benchEmbedded();
    if (all || which.includes('redis')) await benchRedis();
    if (all || which.includes('zookeeper')) await benchZookeeper();
  } finally {
    await cleanupAll();
  }
}
if (process.argv[2] === '--watcher') void watcherMain(process.argv[3] ?? '', process.argv[4] ?? '500');
else void main();
