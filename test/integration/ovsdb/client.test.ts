import net from 'node:net';
import { Scheduler } from '../../../src/async';
import {
  bridgeInterfaces,
  bridges,
  Idl,
  interfaces,
  namedUuid,
  OPEN_VSWITCH_TABLES,
  OvsdbClient,
  OvsdbRequestError,
  OvsdbRowEvent,
  OvsdbTransactionError,
  type RowChange,
  uuid,
} from '../../../src/ovsdb';
import { cleanupAll, type OvsInstance, startOvs } from '../../harness';
import { until } from './until';

let ovs: OvsInstance;
const clients: OvsdbClient[] = [];
beforeAll(async () => {
  ovs = await startOvs({ dummy: true });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await cleanupAll();
});

async function client(via: 'unix' | 'tcp' = 'unix'): Promise<OvsdbClient> {
  const c = await OvsdbClient.connect(
    via === 'unix' ? `unix:${ovs.dbSock}` : `tcp:127.0.0.1:${ovs.dbTcpPort}`,
  );
  clients.push(c);
  return c;
}

describe('OVSDB client against ovsdb-server', () => {
  it('lists databases and reads the schema, over unix socket and TCP', async () => {
    for (const via of ['unix', 'tcp'] as const) {
      const c = await client(via);
      expect(await c.listDbs()).toContain('Open_vSwitch');
      const schema = (await c.getSchema('Open_vSwitch')) as { name: string; tables: Record<string, unknown> };
      expect(schema.name).toBe('Open_vSwitch');
      expect(Object.keys(schema.tables)).toEqual(expect.arrayContaining(['Bridge', 'Port', 'Interface']));
      expect(await c.echo('hello', 1)).toEqual(['hello', 1]);
    }
  });

  it('adds a bridge with a port in one transaction that ovs-vsctl then shows', async () => {
    const c = await client();
    const [root] = (await c.transact('Open_vSwitch', [
      { op: 'select', table: 'Open_vSwitch', where: [], columns: ['_uuid'] },
    ])) as [{ rows: { _uuid: [string, string] }[] }];
    const rootUuid = root.rows[0]!._uuid[1];
    await c.transact('Open_vSwitch', [
      { op: 'insert', table: 'Interface', row: { name: 'brx', type: 'internal' }, 'uuid-name': 'iface' },
      {
        op: 'insert',
        table: 'Port',
        row: { name: 'brx', interfaces: ['named-uuid', 'iface'] },
        'uuid-name': 'port',
      },
      {
        op: 'insert',
        table: 'Bridge',
        row: { name: 'brx', ports: ['named-uuid', 'port'] },
        'uuid-name': 'br',
      },
      {
        op: 'mutate',
        table: 'Open_vSwitch',
        where: [['_uuid', '==', ['uuid', rootUuid]]],
        mutations: [['bridges', 'insert', ['set', [['named-uuid', 'br']]]]],
      },
      { op: 'comment', comment: 'vlcp-ts test: add brx' },
    ]);
    expect((await ovs.vsctl('list-br')).split('\n')).toContain('brx');
    void namedUuid;
    void uuid;
  });

  it('names the failing operation of a refused transaction and applies nothing', async () => {
    const c = await client();
    const err = await c
      .transact('Open_vSwitch', [
        { op: 'insert', table: 'Bridge', row: { name: 'never' } },
        { op: 'update', table: 'Bridge', where: [['name', '==', 'brx']], row: { no_such_column: 1 } },
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OvsdbTransactionError);
    expect((err as OvsdbTransactionError).index).toBe(1);
    expect((err as Error).message).toMatch(/unknown column|no_such_column/);
    expect(await ovs.vsctl('list-br')).not.toContain('never');
    await expect(c.request('no_such_method', [])).rejects.toBeInstanceOf(OvsdbRequestError);
  });

  it('keeps an IDL replica current as ovs-vsctl changes the database, with row events', async () => {
    const sched = new Scheduler();
    const c = await client('tcp');
    const idl = new Idl(c, 'Open_vSwitch', OPEN_VSWITCH_TABLES, sched);
    const batches: RowChange[][] = [];
    idl.onChange((ch) => batches.push([...ch]));
    await idl.start();
    expect(bridges(idl).map((b) => b.name)).toContain('brx');
    const inserted = sched.waitFor(
      OvsdbRowEvent.match(
        { db: 'Open_vSwitch', table: 'Interface', change: 'insert' },
        (e) => e.row?.name === 'p1',
      ),
      { timeout: 10000 },
    );
    await ovs.vsctl(
      'add-port',
      'brx',
      'p1',
      '--',
      'set',
      'interface',
      'p1',
      'type=internal',
      'external_ids:iface-id=lp-1',
    );
    expect((await inserted).row?.name).toBe('p1');
    await until(
      () => interfaces(idl).some((i) => i.name === 'p1' && (i.ofport ?? 0) > 0),
      'p1 to get an ofport',
    );
    const brx = bridges(idl).find((b) => b.name === 'brx')!;
    const p1 = bridgeInterfaces(idl, brx).find((i) => i.name === 'p1')!;
    expect(p1.ifaceId).toBe('lp-1');
    expect(p1.ofport).toBe(Number((await ovs.vsctl('get', 'interface', 'p1', 'ofport')).trim()));
    expect(brx.datapathId).toMatch(/^[0-9a-f]{16}$/);
    await ovs.vsctl('set', 'interface', 'p1', 'external_ids:iface-id=lp-2');
    await until(() => interfaces(idl).find((i) => i.name === 'p1')?.ifaceId === 'lp-2', 'iface-id update');
    await ovs.vsctl('del-port', 'brx', 'p1');
    await until(() => !interfaces(idl).some((i) => i.name === 'p1'), 'p1 to go');
    expect(
      batches
        .flat()
        .some((ch) => ch.table === 'Interface' && ch.change === 'delete' && ch.old?.name === 'p1'),
    ).toBe(true);
  });

  it('grants locks, and tells the holder when another client steals one', async () => {
    const a = await client();
    const b = await client();
    const aEvents: string[] = [];
    const bEvents: string[] = [];
    a.onLock((e, id) => aEvents.push(`${e}:${id}`));
    b.onLock((e, id) => bEvents.push(`${e}:${id}`));
    expect(await a.lock('vlcp')).toBe(true);
    expect(await b.lock('vlcp')).toBe(false);
    await a.unlock('vlcp');
    await until(() => bEvents.includes('locked:vlcp'), 'b to be granted the lock');
    expect(await a.steal('vlcp')).toBe(true);
    await until(() => bEvents.includes('stolen:vlcp'), 'b to hear its lock was stolen');
    expect(aEvents).toEqual([]);
  });

  it('monitor_cond and monitor_cancel', async () => {
    const c = await client();
    const updates: unknown[] = [];
    const initial = (await c.monitor(
      'monitor_cond',
      'Open_vSwitch',
      'mc',
      { Bridge: [{ columns: ['name'], where: [['name', '==', 'brx']] }] },
      (_m, p) => updates.push(p),
    )) as Record<string, Record<string, { initial: { name: string } }>>;
    expect(Object.values(initial.Bridge!).map((r) => r.initial.name)).toEqual(['brx']);
    await c.monitorCancel('mc');
    await ovs.vsctl('add-br', 'bry');
    await new Promise((r) => setTimeout(r, 200));
    expect(updates).toEqual([]);
  });

  it('a malformed message from a server closes only that connection, with the reason', async () => {
    const good = await client();
    const bad = net.createServer((s) => s.once('data', () => s.write('{"id": 1, "result": [tru]}')));
    await new Promise<void>((r) => bad.listen(0, '127.0.0.1', r));
    try {
      const port = (bad.address() as net.AddressInfo).port;
      const c = await OvsdbClient.connect(`tcp:127.0.0.1:${port}`);
      await expect(c.listDbs()).rejects.toThrow(/malformed input: ovsdb connection ovsdb-\d+: invalid JSON/);
      expect(await good.listDbs()).toContain('Open_vSwitch');
    } finally {
      await new Promise((r) => bad.close(r));
    }
  });
});
