/**
 * Every RFC 7047 method, operation and notification kind, each against a private
 * ovsdb-server (the oracle), plus the limits that close one connection and spare the rest.
 */
import net from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import {
  Idl,
  type JsonValue,
  listenOvsdb,
  OvsdbClient,
  OvsdbRequestError,
  OvsdbTransactionError,
} from '../../../src/ovsdb';
import { cleanupAll, type OvsInstance, startOvs } from '../../harness';
import { until } from './until';

let ovs: OvsInstance;
const clients: OvsdbClient[] = [];
beforeAll(async () => {
  ovs = await startOvs({ dummy: true });
  await ovs.addBridge('br0');
});
afterAll(async () => {
  for (const c of clients) c.close();
  await cleanupAll();
});

async function client(options: Parameters<typeof OvsdbClient.connect>[1] = {}): Promise<OvsdbClient> {
  const c = await OvsdbClient.connect(`unix:${ovs.dbSock}`, options);
  clients.push(c);
  return c;
}

/** A pino logger whose lines land in `lines`, to check what a closed connection logs. */
function capturingLogger(lines: Record<string, unknown>[]) {
  return pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean))
          lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    }),
  );
}

const DB = 'Open_vSwitch';
const bridgeNamed = (name: string) => [['name', '==', name]];

describe('transact operations', () => {
  it('insert, select, update, mutate, delete, each as ovs-vsctl then sees it', async () => {
    const c = await client();
    const [ins] = (await c.transact(DB, [
      { op: 'insert', table: 'Bridge', row: { name: 'tmp1', external_ids: ['map', [['k', 'v']]] } },
    ])) as [{ uuid: [string, string] }];
    expect(ins.uuid[0]).toBe('uuid');
    // A bridge not referenced from Open_vSwitch is garbage-collected at commit; select inside
    // the same transaction shows the row existed.
    const [, sel] = (await c.transact(DB, [
      { op: 'insert', table: 'Bridge', row: { name: 'tmp2' }, 'uuid-name': 'b' },
      { op: 'select', table: 'Bridge', where: bridgeNamed('tmp2'), columns: ['name'] },
      {
        op: 'mutate',
        table: 'Open_vSwitch',
        where: [],
        mutations: [['bridges', 'insert', ['set', [['named-uuid', 'b']]]]],
      },
    ])) as [unknown, { rows: { name: string }[] }];
    expect(sel.rows).toEqual([{ name: 'tmp2' }]);
    expect((await ovs.vsctl('list-br')).split('\n')).toContain('tmp2');

    const [upd] = (await c.transact(DB, [
      {
        op: 'update',
        table: 'Bridge',
        where: bridgeNamed('tmp2'),
        row: { external_ids: ['map', [['a', '1']]] },
      },
    ])) as [{ count: number }];
    expect(upd.count).toBe(1);
    const [mut] = (await c.transact(DB, [
      {
        op: 'mutate',
        table: 'Bridge',
        where: bridgeNamed('tmp2'),
        mutations: [['external_ids', 'insert', ['map', [['b', '2']]]]],
      },
    ])) as [{ count: number }];
    expect(mut.count).toBe(1);
    expect((await ovs.vsctl('get', 'bridge', 'tmp2', 'external_ids')).trim()).toBe('{a="1", b="2"}');

    // delete needs the reference from Open_vSwitch removed in the same transaction.
    const [, del] = (await c.transact(DB, [
      {
        op: 'mutate',
        table: 'Open_vSwitch',
        where: [],
        mutations: [['bridges', 'delete', ['set', [['uuid', await bridgeUuid(c, 'tmp2')]]]]],
      },
      { op: 'delete', table: 'Bridge', where: bridgeNamed('tmp2') },
    ])) as [unknown, { count: number }];
    expect(del.count).toBe(1);
    expect((await ovs.vsctl('list-br')).split('\n')).not.toContain('tmp2');
  });

  it('wait succeeds when the rows match, and fails with "timed out" when they do not', async () => {
    const c = await client();
    await c.transact(DB, [
      {
        op: 'wait',
        table: 'Bridge',
        where: bridgeNamed('br0'),
        columns: ['name'],
        until: '==',
        rows: [{ name: 'br0' }],
        timeout: 0,
      },
    ]);
    const err = await c
      .transact(DB, [
        {
          op: 'wait',
          table: 'Bridge',
          where: bridgeNamed('br0'),
          columns: ['name'],
          until: '!=',
          rows: [{ name: 'br0' }],
          timeout: 0,
        },
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OvsdbTransactionError);
    expect((err as OvsdbTransactionError).error).toBe('timed out');
  });

  it('commit (durable) and comment succeed; abort fails the transaction and applies nothing', async () => {
    const c = await client();
    const results = await c.transact(DB, [
      {
        op: 'update',
        table: 'Bridge',
        where: bridgeNamed('br0'),
        row: { external_ids: ['map', [['c', '1']]] },
      },
      { op: 'comment', comment: 'vlcp-ts: commit test' },
      { op: 'commit', durable: false },
    ]);
    expect(results).toEqual([{ count: 1 }, {}, {}]);
    expect((await ovs.vsctl('get', 'bridge', 'br0', 'external_ids:c')).trim()).toBe('"1"');

    const err = await c
      .transact(DB, [
        {
          op: 'update',
          table: 'Bridge',
          where: bridgeNamed('br0'),
          row: { external_ids: ['map', [['c', '2']]] },
        },
        { op: 'abort' },
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OvsdbTransactionError);
    expect((err as OvsdbTransactionError).index).toBe(1);
    expect((err as OvsdbTransactionError).error).toBe('aborted');
    expect((await ovs.vsctl('get', 'bridge', 'br0', 'external_ids:c')).trim()).toBe('"1"');
  });

  it('assert passes while we hold the lock and fails with "not owner" otherwise', async () => {
    const a = await client();
    const b = await client();
    expect(await a.lock('assert_lock')).toBe(true);
    await a.transact(DB, [
      { op: 'assert', lock: 'assert_lock' },
      {
        op: 'update',
        table: 'Bridge',
        where: bridgeNamed('br0'),
        row: { external_ids: ['map', [['holder', 'a']]] },
      },
    ]);
    const err = await b
      .transact(DB, [
        { op: 'assert', lock: 'assert_lock' },
        {
          op: 'update',
          table: 'Bridge',
          where: bridgeNamed('br0'),
          row: { external_ids: ['map', [['holder', 'b']]] },
        },
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OvsdbTransactionError);
    expect((err as OvsdbTransactionError).index).toBe(0);
    expect((err as OvsdbTransactionError).error).toBe('not owner');
    expect((await ovs.vsctl('get', 'bridge', 'br0', 'external_ids:holder')).trim()).toBe('a');
    await a.unlock('assert_lock');
  });
});

async function bridgeUuid(c: OvsdbClient, name: string): Promise<string> {
  const [r] = (await c.transact(DB, [
    { op: 'select', table: 'Bridge', where: bridgeNamed(name), columns: ['_uuid'] },
  ])) as [{ rows: { _uuid: [string, string] }[] }];
  return r.rows[0]!._uuid[1];
}

describe('cancel', () => {
  const waitForGate = (key: string) => [
    // No timeout: blocks until a bridge named gate exists, then writes.
    {
      op: 'wait',
      table: 'Bridge',
      where: bridgeNamed('gate'),
      columns: ['name'],
      until: '==',
      rows: [{ name: 'gate' }],
    },
    {
      op: 'mutate',
      table: 'Bridge',
      where: bridgeNamed('br0'),
      mutations: [['external_ids', 'insert', ['map', [[key, 'yes']]]]],
    },
  ];

  it('cancels a transaction blocked on wait: it fails "canceled", never runs, and the connection goes on', async () => {
    const c = await client();
    const cancelled = c.startTransact(DB, waitForGate('cancelled'));
    const kept = c.startTransact(DB, waitForGate('kept'));
    const outcome = cancelled.result.catch((e: unknown) => e);
    // The server is holding both: an echo sent later comes back first.
    expect(await c.echo('still-waiting')).toEqual(['still-waiting']);
    c.cancel(cancelled.id);
    const err = await outcome;
    expect(err).toBeInstanceOf(OvsdbRequestError);
    expect((err as OvsdbRequestError).method).toBe('transact');
    expect((err as OvsdbRequestError).error).toBe('canceled');

    // Open the gate: the request that was not cancelled runs, the cancelled one does not.
    await ovs.vsctl('add-br', 'gate', '--', 'set', 'bridge', 'gate', 'datapath_type=dummy');
    expect(await kept.result).toEqual([{}, { count: 1 }]);
    expect(await c.echo('after')).toEqual(['after']);
    const ids = await ovs.vsctl('get', 'bridge', 'br0', 'external_ids');
    expect(ids).toContain('kept=yes');
    expect(ids).not.toContain('cancelled');
    await ovs.vsctl('del-br', 'gate');
  });
});

describe('monitors and their notifications', () => {
  type Note = { method: string; params: readonly JsonValue[] };
  const notes = (): Note[] => [];

  it('monitor sends "update" with old and new rows', async () => {
    const c = await client();
    const seen = notes();
    const initial = (await c.monitor(
      'monitor',
      DB,
      'm1',
      { Bridge: { columns: ['name', 'external_ids'] } },
      (method, params) => seen.push({ method, params }),
    )) as Record<string, Record<string, { new: { name: string } }>>;
    expect(Object.values(initial.Bridge!).map((r) => r.new.name)).toContain('br0');
    await ovs.vsctl('set', 'bridge', 'br0', 'external_ids:m=v1');
    await until(() => seen.length > 0, 'an update notification');
    expect(seen[0]!.method).toBe('update');
    expect(seen[0]!.params[0]).toBe('m1');
    const rows = Object.values(
      (seen[0]!.params[1] as Record<string, Record<string, { old?: unknown; new?: unknown }>>).Bridge!,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.old).toBeDefined();
    expect(rows[0]!.new).toBeDefined();
    await c.monitorCancel('m1');
  });

  it('monitor_cond sends "update2" with only the rows its condition selects', async () => {
    const c = await client();
    const seen = notes();
    await c.monitor(
      'monitor_cond',
      DB,
      'm2',
      { Bridge: [{ columns: ['name', 'external_ids'], where: bridgeNamed('br0') }] },
      (method, params) => seen.push({ method, params }),
    );
    await ovs.vsctl('add-br', 'other2', '--', 'set', 'bridge', 'other2', 'datapath_type=dummy');
    await ovs.vsctl('set', 'bridge', 'br0', 'external_ids:m=v2');
    await until(() => seen.length > 0, 'an update2 notification');
    expect(seen.map((n) => n.method)).toEqual(['update2']);
    const rows = Object.values(
      (seen[0]!.params[1] as Record<string, Record<string, { modify?: unknown }>>).Bridge!,
    );
    expect(rows).toEqual([{ modify: { external_ids: ['map', [['m', 'v2']]] } }]);
    await c.monitorCancel('m2');
  });

  it('monitor_cond_since answers [found, last-txn-id, updates] and sends "update3" with the txn id', async () => {
    const c = await client();
    const seen = notes();
    const reply = (await c.monitor(
      'monitor_cond_since',
      DB,
      'm3',
      { Bridge: [{ columns: ['name', 'external_ids'], where: bridgeNamed('br0') }] },
      (method, params) => seen.push({ method, params }),
    )) as [boolean, string, Record<string, Record<string, { initial: { name: string } }>>];
    expect(typeof reply[0]).toBe('boolean');
    expect(reply[1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(Object.values(reply[2].Bridge!).map((r) => r.initial.name)).toEqual(['br0']);
    await ovs.vsctl('set', 'bridge', 'br0', 'external_ids:m=v3');
    await until(() => seen.length > 0, 'an update3 notification');
    expect(seen[0]!.method).toBe('update3');
    expect(seen[0]!.params[0]).toBe('m3');
    expect(seen[0]!.params[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys((seen[0]!.params[2] as Record<string, unknown>).Bridge as object)).toHaveLength(1);
    await c.monitorCancel('m3');
  });

  it('a monitor on a table that does not exist is refused by name', async () => {
    const c = await client();
    const err = await c
      .monitor('monitor_cond', DB, 'bad', { NoSuchTable: [{}] }, () => {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OvsdbRequestError);
    expect((err as Error).message).toMatch(/NoSuchTable|unknown table/);
    // The id was not left registered: it can be reused.
    await c.monitor('monitor_cond', DB, 'bad', { Bridge: [{ columns: ['name'] }] }, () => {});
  });
});

describe('echo both ways', () => {
  it("answers the server's inactivity probes, so an idle manager connection stays up", async () => {
    const connected: OvsdbClient[] = [];
    // Our own probes off: whatever keeps this connection alive is the server's echo and our reply.
    const server = await listenOvsdb('ptcp:0:127.0.0.1', {
      keepaliveMs: 0,
      onClient: (c) => connected.push(c),
    });
    try {
      const target = `tcp:127.0.0.1:${server.port}`;
      await ovs.vsctl('set-manager', target);
      await ovs.vsctl('set', 'manager', target, 'inactivity_probe=1000');
      await until(() => connected.length > 0, 'ovsdb-server to connect');
      const c = connected.at(-1)!;
      const echoes: (readonly JsonValue[])[] = [];
      c.onEcho((p) => echoes.push(p));
      // Several probe intervals of silence from us: the server would drop an unanswered peer after two.
      await until(() => echoes.length >= 3, 'three echo requests from ovsdb-server');
      expect(c.connection.state).toBe('up');
      expect(await c.echo('from-us')).toEqual(['from-us']);
      expect(connected).toHaveLength(1);
    } finally {
      await ovs.vsctl('del-manager');
      await server.close();
    }
  });
});

describe('malformed and oversized messages close only their connection', () => {
  it('a reply larger than the limit from the real server closes that connection, naming the limit', async () => {
    const good = await client();
    const lines: Record<string, unknown>[] = [];
    const small = await client({ maxMessageBytes: 4096, logger: capturingLogger(lines) });
    expect(await small.listDbs()).toContain(DB); // small replies pass
    // The Open_vSwitch schema is tens of KB.
    const err = await small.getSchema(DB).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /malformed input: ovsdb connection ovsdb-\d+: message larger than 4096 bytes/,
    );
    expect(await small.connection.closed).toMatch(/message larger than 4096 bytes/);
    expect(lines.some((l) => l.msg === 'malformed input; closing connection')).toBe(true);
    // The server and every other connection go on.
    expect(((await good.getSchema(DB)) as { name: string }).name).toBe(DB);
  });

  it('the passive end drops a peer that sends garbage or too much, and keeps serving OVS', async () => {
    const connected: OvsdbClient[] = [];
    const lines: Record<string, unknown>[] = [];
    const server = await listenOvsdb('ptcp:0:127.0.0.1', {
      maxMessageBytes: 1 << 20,
      logger: capturingLogger(lines),
      onClient: (c) => connected.push(c),
    });
    const target = `tcp:127.0.0.1:${server.port}`;
    try {
      await ovs.vsctl('set-manager', target);
      await until(() => connected.length === 1, 'ovsdb-server to connect');
      const fromOvs = connected[0]!;

      const sendRaw = async (bytes: Buffer | string) => {
        const before = connected.length;
        const s = net.connect(Number(server.port), '127.0.0.1');
        await new Promise<void>((r) => s.once('connect', () => r()));
        await until(() => connected.length === before + 1, 'the raw peer to be accepted');
        s.write(bytes);
        const reason = await connected[before]!.connection.closed;
        s.destroy();
        return reason;
      };
      expect(await sendRaw('{"method": "echo", "params": [tru], "id": 1}')).toMatch(
        /malformed input: .*invalid JSON/,
      );
      expect(await sendRaw(`{"method":"echo","params":["${'x'.repeat(2 << 20)}"],"id":1}`)).toMatch(
        /malformed input: .*message larger than 1048576 bytes/,
      );
      expect(await sendRaw('[1, 2, 3]')).toMatch(/malformed input: .*must be an object/);
      expect(lines.filter((l) => l.msg === 'malformed input; closing connection')).toHaveLength(3);

      expect(fromOvs.connection.state).toBe('up');
      expect(await fromOvs.listDbs()).toContain(DB);
    } finally {
      await ovs.vsctl('del-manager');
      await server.close();
    }
  });
});

describe('large messages', () => {
  it('sends and receives a row of several MB, through transact, select and an IDL initial sync', async () => {
    const c = await client();
    await ovs.vsctl('add-br', 'big', '--', 'set', 'bridge', 'big', 'datapath_type=dummy');
    // 4,000 entries of ~1 KB: a 4+ MB request, reply and monitor update.
    const entries = Array.from({ length: 4000 }, (_, i) => [`k${i}`, `${i}:${'v'.repeat(1000)}`] as const);
    await c.transact(DB, [
      { op: 'update', table: 'Bridge', where: bridgeNamed('big'), row: { external_ids: ['map', entries] } },
    ]);
    const [sel] = (await c.transact(DB, [
      { op: 'select', table: 'Bridge', where: bridgeNamed('big'), columns: ['external_ids'] },
    ])) as [{ rows: { external_ids: ['map', [string, string][]] }[] }];
    const back = new Map(sel.rows[0]!.external_ids[1]);
    expect(back.size).toBe(4000);
    expect(back).toEqual(new Map(entries));

    const idl = new Idl(c, DB, { Bridge: ['name', 'external_ids'] });
    await idl.start();
    const row = [...idl.rows('Bridge').values()].find((r) => r.name === 'big')!;
    expect(row.external_ids).toEqual(new Map(entries));
    expect(await ovs.vsctl('get', 'bridge', 'big', 'external_ids:k3999')).toContain(
      `3999:${'v'.repeat(1000)}`,
    );
    await ovs.vsctl('del-br', 'big');
  });
});
