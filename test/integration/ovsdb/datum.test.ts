/**
 * OVSDB data both ways, differentially against ovsdb-server: random values of many column
 * types (maps, sets, optional atoms, booleans, 64-bit integers, uuid and named-uuid
 * references) are written with datumToWire, read back with select, converted with
 * datumFromWire under the column's type, and must equal what was written. An IDL replica
 * kept by update2/update3 differences must hold exactly what select reads, after every change.
 */
import fc from 'fast-check';
import {
  type Atom,
  type Datum,
  datumFromWire,
  datumToWire,
  Idl,
  isUuid,
  type JsonValue,
  namedUuid,
  OvsdbClient,
  parseSchema,
} from '../../../src/ovsdb';
import { cleanupAll, type OvsInstance, startOvs } from '../../harness';

let ovs: OvsInstance;
let c: OvsdbClient;
beforeAll(async () => {
  ovs = await startOvs({ dummy: true });
  await ovs.addBridge('dt');
  c = await OvsdbClient.connect(`unix:${ovs.dbSock}`);
});
afterAll(async () => {
  c.close();
  await cleanupAll();
});

const DB = 'Open_vSwitch';
const named = (n: string) => [['name', '==', n]];

const value = fc.record({
  externalIds: fc.uniqueArray(fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })), {
    selector: (p) => p[0],
    maxLength: 5,
  }),
  floodVlans: fc.uniqueArray(fc.integer({ min: 0, max: 4095 }), { maxLength: 6 }),
  trunks: fc.uniqueArray(fc.integer({ min: 0, max: 4095 }), { maxLength: 6 }),
  tag: fc.option(fc.integer({ min: 0, max: 4095 }), { nil: undefined }),
  protected: fc.boolean(),
  // Up to 2^63-1: above 2^53 only a bigint holds it exactly.
  burst: fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }),
  flowTableIds: fc.uniqueArray(fc.integer({ min: 0, max: 254 }), { maxLength: 3 }),
});

const sortAtoms = (xs: readonly Atom[]) => [...xs].map((x) => (isUuid(x) ? x.uuid : String(x))).sort();

describe('OVSDB data against ovsdb-server', () => {
  it('property: what we write is what we read back, for every column shape', async () => {
    const schema = parseSchema(await c.getSchema(DB));
    const col = (t: string, name: string) => schema.tables.get(t)!.columns.get(name)!;
    // On the same connection: ovsdb-server sends a transaction's updates before its reply.
    const idl = new Idl(c, DB, {
      Bridge: ['name', 'external_ids', 'flood_vlans', 'flow_tables'],
      Port: ['name', 'trunks', 'tag', 'protected'],
      Interface: ['name', 'ingress_policing_burst'],
    });
    await idl.start();
    const replica = (table: string, name: string) =>
      [...idl.rows(table).values()].find((r) => r.name === name)!;
    await fc.assert(
      fc.asyncProperty(value, async (v) => {
        const flowTables = new Map<Atom, Atom>(v.flowTableIds.map((id, i) => [id, namedUuid(`ft${i}`)]));
        const ops: unknown[] = [
          ...v.flowTableIds.map((id, i) => ({
            op: 'insert',
            table: 'Flow_Table',
            row: { name: `t${id}` },
            'uuid-name': `ft${i}`,
          })),
          {
            op: 'update',
            table: 'Bridge',
            where: named('dt'),
            row: {
              external_ids: datumToWire(new Map(v.externalIds)),
              flood_vlans: datumToWire(v.floodVlans),
              flow_tables: datumToWire(flowTables),
            },
          },
          {
            op: 'update',
            table: 'Port',
            where: named('dt'),
            row: {
              trunks: datumToWire(v.trunks),
              tag: datumToWire(v.tag === undefined ? [] : [v.tag]),
              protected: datumToWire(v.protected),
            },
          },
          {
            op: 'update',
            table: 'Interface',
            where: named('dt'),
            row: { ingress_policing_burst: datumToWire(v.burst) },
          },
          {
            op: 'select',
            table: 'Bridge',
            where: named('dt'),
            columns: ['external_ids', 'flood_vlans', 'flow_tables'],
          },
          { op: 'select', table: 'Port', where: named('dt'), columns: ['trunks', 'tag', 'protected'] },
          { op: 'select', table: 'Interface', where: named('dt'), columns: ['ingress_policing_burst'] },
        ];
        const results = await c.transact(DB, ops);
        const n = v.flowTableIds.length;
        const inserted = results.slice(0, n).map((r) => (r as { uuid: [string, string] }).uuid[1]);
        const [br, port, iface] = results
          .slice(n + 3)
          .map((r) => (r as { rows: Record<string, JsonValue>[] }).rows[0]!);
        const read = (row: Record<string, JsonValue>, t: string, name: string): Datum =>
          datumFromWire(row[name]!, col(t, name), `${t}.${name}`);

        expect(read(br!, 'Bridge', 'external_ids')).toEqual(new Map(v.externalIds));
        expect(sortAtoms(read(br!, 'Bridge', 'flood_vlans') as Atom[])).toEqual(sortAtoms(v.floodVlans));
        // Named uuids came back as the uuids the server gave the inserted rows.
        const ft = read(br!, 'Bridge', 'flow_tables') as ReadonlyMap<Atom, Atom>;
        expect([...ft.keys()].sort()).toEqual([...v.flowTableIds].sort());
        v.flowTableIds.forEach((id, i) => {
          expect(ft.get(id)).toEqual({ uuid: inserted[i] });
        });
        expect(sortAtoms(read(port!, 'Port', 'trunks') as Atom[])).toEqual(sortAtoms(v.trunks));
        expect(read(port!, 'Port', 'tag')).toEqual(v.tag === undefined ? [] : [v.tag]);
        expect(read(port!, 'Port', 'protected')).toBe(v.protected);
        const burst = read(iface!, 'Interface', 'ingress_policing_burst');
        expect(BigInt(burst as number | bigint)).toBe(v.burst);
        expect(typeof burst).toBe(v.burst > BigInt(Number.MAX_SAFE_INTEGER) ? 'bigint' : 'number');

        // The replica, kept by differences, equals the server's rows column by column.
        for (const [table, row, cols] of [
          ['Bridge', br!, ['external_ids', 'flood_vlans', 'flow_tables']],
          ['Port', port!, ['trunks', 'tag', 'protected']],
          ['Interface', iface!, ['ingress_policing_burst']],
        ] as const) {
          const mine = replica(table, 'dt');
          for (const name of cols) {
            const theirs = read(row, table, name);
            const ours = mine[name];
            if (Array.isArray(theirs)) expect(sortAtoms(ours as Atom[])).toEqual(sortAtoms(theirs as Atom[]));
            else expect(ours).toEqual(theirs);
          }
        }
      }),
      { numRuns: 40 },
    );
    // ovs-vsctl, a second reader, agrees on the last 64-bit value written.
    const last = (await ovs.vsctl('get', 'interface', 'dt', 'ingress_policing_burst')).trim();
    const [iface] = (await c.transact(DB, [
      { op: 'select', table: 'Interface', where: named('dt'), columns: ['ingress_policing_burst'] },
    ])) as [{ rows: { ingress_policing_burst: number | bigint }[] }];
    expect(String(iface.rows[0]!.ingress_policing_burst)).toBe(last);
  });
});
