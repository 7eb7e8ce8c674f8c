/**
 * OVSDB: (1) JSON stream parsing MB/s beside plain JSON.parse of the same bytes; (2) time for
 * the IDL to absorb the initial monitor contents of N ports/interfaces from a private
 * ovsdb-server (dummy datapath). Run: npm run bench:ovsdb  (BENCH_PORTS=10000 by default)
 */
import { Idl, JsonStreamParser, OPEN_VSWITCH_TABLES, OvsdbClient } from '../src/ovsdb';
import { cleanupAll, startOvs } from '../test/harness';

const PORTS = Number(process.env.BENCH_PORTS ?? 10_000);

function parseBench(): void {
  const rows: Record<string, unknown> = {};
  for (let i = 0; i < 20000; i++) {
    rows[`0000${i}-aaaa-bbbb-cccc-dddddddddddd`] = {
      new: { name: `port${i}`, ofport: i, external_ids: ['map', [['iface-id', `lp-${i}`]]], type: '' },
    };
  }
  const text = JSON.stringify({ id: null, method: 'update', params: ['m', { Interface: rows }] });
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 65536) chunks.push(bytes.subarray(i, i + 65536));
  const rounds = 10;
  let t = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) JSON.parse(bytes.toString('utf8'));
  const base = Number(process.hrtime.bigint() - t) / 1e9;
  t = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    const p = new JsonStreamParser('bench');
    for (const c of chunks) p.feed(c, () => undefined);
  }
  const ours = Number(process.hrtime.bigint() - t) / 1e9;
  const mb = (bytes.length * rounds) / 1e6;
  console.log(`message ${(bytes.length / 1e6).toFixed(1)} MB in 64 KiB chunks, ${rounds} rounds`);
  console.log(`  JSON.parse (baseline): ${(mb / base).toFixed(0)} MB/s`);
  console.log(
    `  JsonStreamParser:      ${(mb / ours).toFixed(0)} MB/s  (${(base / ours).toFixed(2)}x of baseline)`,
  );
}

async function syncBench(): Promise<void> {
  const ovs = await startOvs({ dummy: true });
  try {
    await ovs.addBridge('br0');
    const setup = await OvsdbClient.connect(`unix:${ovs.dbSock}`);
    const ops: unknown[] = [];
    const portRefs: unknown[] = [];
    for (let i = 0; i < PORTS; i++) {
      ops.push({
        op: 'insert',
        table: 'Interface',
        row: { name: `d${i}`, type: 'dummy', external_ids: ['map', [['iface-id', `lp-${i}`]]] },
        'uuid-name': `i${i}`,
      });
      ops.push({
        op: 'insert',
        table: 'Port',
        row: { name: `d${i}`, interfaces: ['named-uuid', `i${i}`] },
        'uuid-name': `p${i}`,
      });
      portRefs.push(['named-uuid', `p${i}`]);
    }
    ops.push({
      op: 'mutate',
      table: 'Bridge',
      where: [['name', '==', 'br0']],
      mutations: [['ports', 'insert', ['set', portRefs]]],
    });
    let t = process.hrtime.bigint();
    await setup.transact('Open_vSwitch', ops);
    console.log(
      `created ${PORTS} ports in one transaction: ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(0)} ms`,
    );
    setup.close();
    const client = await OvsdbClient.connect(`unix:${ovs.dbSock}`);
    const idl = new Idl(client, 'Open_vSwitch', OPEN_VSWITCH_TABLES);
    t = process.hrtime.bigint();
    await idl.start();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    console.log(
      `IDL initial sync: ${idl.rows('Interface').size} interfaces, ${idl.rows('Port').size} ports in ${ms.toFixed(0)} ms (target < 1000 ms)`,
    );
    client.close();
  } finally {
    await cleanupAll();
  }
}

async function main(): Promise<void> {
  parseBench();
  await syncBench();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
