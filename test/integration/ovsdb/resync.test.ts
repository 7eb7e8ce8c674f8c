import { join } from 'node:path';
import { bridges, IdlSession, interfaces, OPEN_VSWITCH_TABLES, type RowChange } from '../../../src/ovsdb';
import { cleanupAll, run, startOvs, startOvsdbCluster } from '../../harness';
import { until } from './until';

afterAll(cleanupAll);

/** An IdlSession on the Open_vSwitch database, started, counting its successful syncs and recording every row change. */
function watchedSession(target: string, keepaliveMs?: number) {
  const watch = { syncs: 0, changes: [] as RowChange[] };
  const session = new IdlSession(target, 'Open_vSwitch', OPEN_VSWITCH_TABLES, {
    ...(keepaliveMs === undefined ? {} : { keepaliveMs }),
    onSync: (e) => {
      if (e === undefined) watch.syncs++;
    },
  });
  session.idl.onChange((c) => watch.changes.push(...c));
  session.start();
  return { session, watch };
}

/** Cuts the session's connection the way a network failure would; it reconnects by itself. */
async function dropConnection(session: IdlSession): Promise<void> {
  const conn = session.client!.connection;
  conn.close('test drops the connection');
  await conn.closed;
}

const interfaceNames = (session: IdlSession) =>
  interfaces(session.idl)
    .map((i) => i.name)
    .sort();

describe('IDL session', () => {
  it('reconnects after losing the connection and reports what changed meanwhile', async () => {
    const ovs = await startOvs({ dummy: true });
    await ovs.addBridge('br0');
    await ovs.vsctl('add-port', 'br0', 'gone', '--', 'set', 'interface', 'gone', 'type=internal');
    await ovs.vsctl('add-port', 'br0', 'stays', '--', 'set', 'interface', 'stays', 'type=internal');
    const { session, watch } = watchedSession(`tcp:127.0.0.1:${ovs.dbTcpPort}`);
    try {
      await until(() => watch.syncs === 1, 'first sync');
      expect(interfaceNames(session)).toEqual(['br0', 'gone', 'stays']);
      watch.changes.length = 0;
      // ovsdb-server 3.1 speaks monitor_cond_since (a standalone database reports the zero
      // transaction id, so a reconnect reloads and reconciles rather than resuming).
      expect(session.idl.lastTransactionId).toMatch(/^[0-9a-f-]{36}$/);

      // Drop the connection, change the database while we are away.
      await dropConnection(session);
      await ovs.vsctl('del-port', 'br0', 'gone');
      await ovs.vsctl('add-port', 'br0', 'new', '--', 'set', 'interface', 'new', 'type=internal');
      await until(() => watch.syncs === 2, 'resync');
      expect(interfaceNames(session)).toEqual(['br0', 'new', 'stays']);
      const iface = watch.changes.filter((c) => c.table === 'Interface');
      expect(iface.filter((c) => c.change === 'delete').map((c) => c.old?.name)).toEqual(['gone']);
      expect(iface.filter((c) => c.change === 'insert').map((c) => c.row?.name)).toEqual(['new']);
      // Rows that did not change are not reported again.
      expect(iface.some((c) => c.row?.name === 'stays' && c.change === 'insert')).toBe(false);
    } finally {
      await session.stop();
    }
  });

  it('follows the server restarting under it, with changes made to the database file while it was down', async () => {
    const ovs = await startOvs({ dummy: true });
    await ovs.addBridge('br0');
    await ovs.vsctl('add-port', 'br0', 'gone', '--', 'set', 'interface', 'gone', 'type=internal');
    await ovs.vsctl('add-port', 'br0', 'stays', '--', 'set', 'interface', 'stays', 'type=internal');
    const { session, watch } = watchedSession(`tcp:127.0.0.1:${ovs.dbTcpPort}`, 1000);
    try {
      await until(() => watch.syncs === 1, 'first sync');
      watch.changes.length = 0;
      const goneUuid = (await ovs.vsctl('get', 'port', 'gone', '_uuid')).trim();
      await ovs.restart({
        // ovsdb-server is down: edit its file as an operator's offline repair would.
        whileStopped: async () => {
          await run('ovsdb-tool', [
            'transact',
            ovs.dbFile,
            JSON.stringify([
              'Open_vSwitch',
              {
                op: 'mutate',
                table: 'Bridge',
                where: [['name', '==', 'br0']],
                mutations: [['ports', 'delete', ['set', [['uuid', goneUuid]]]]],
              },
              {
                op: 'update',
                table: 'Bridge',
                where: [['name', '==', 'br0']],
                row: { external_ids: ['map', [['offline', 'edit']]] },
              },
            ]),
          ]);
        },
      });
      await until(() => watch.syncs >= 2, 'resync after the restart');
      expect(interfaceNames(session)).toEqual(['br0', 'stays']);
      const br0 = bridges(session.idl).find((b) => b.name === 'br0')!;
      expect(br0.externalIds.get('offline')).toBe('edit');
      const iface = watch.changes.filter((c) => c.table === 'Interface');
      expect(iface.filter((c) => c.change === 'delete').map((c) => c.old?.name)).toEqual(['gone']);
      expect(
        watch.changes.some((c) => c.table === 'Bridge' && c.change === 'update' && c.row?.name === 'br0'),
      ).toBe(true);
      // And it keeps following the restarted server.
      await ovs.vsctl('add-port', 'br0', 'later', '--', 'set', 'interface', 'later', 'type=internal');
      await until(() => interfaceNames(session).includes('later'), 'a port added after the restart');
    } finally {
      await session.stop();
    }
  });

  it('resumes with monitor_cond_since from the last transaction id on a clustered database', async () => {
    const db = await startOvsdbCluster();
    await db.vsctl('add-br', 'br0');
    // ovsdb-server trims a clustered database's transaction history to fewer atoms than the
    // database holds: a realistic number of rows lets it keep the last few transactions.
    const bulk = Array.from({ length: 60 }, (_, i) => ['--', 'add-port', 'br0', `bulk${i}`]).flat();
    await db.vsctl(...bulk.slice(1));
    await db.vsctl('add-port', 'br0', 'gone');
    await db.vsctl('add-port', 'br0', 'stays');
    const { session, watch } = watchedSession(`tcp:127.0.0.1:${db.dbTcpPort}`);
    try {
      await until(() => watch.syncs === 1, 'first sync');
      expect(session.idl.lastSyncResumed).toBe(false);
      const firstTxn = session.idl.lastTransactionId;
      expect(firstTxn).toMatch(/^[0-9a-f-]{36}$/);
      expect(firstTxn).not.toBe('00000000-0000-0000-0000-000000000000');
      watch.changes.length = 0;

      await dropConnection(session);
      await db.vsctl('del-port', 'br0', 'gone');
      await db.vsctl('add-port', 'br0', 'new');
      await until(() => watch.syncs === 2, 'resync');
      // The server still had our transaction: it sent only what changed since.
      expect(session.idl.lastSyncResumed).toBe(true);
      expect(session.idl.lastTransactionId).not.toBe(firstTxn);
      expect(interfaceNames(session)).toEqual(
        ['br0', ...Array.from({ length: 60 }, (_, i) => `bulk${i}`), 'gone', 'new', 'stays']
          .filter((n) => n !== 'gone')
          .sort(),
      );
      const iface = watch.changes.filter((c) => c.table === 'Interface');
      expect(iface.filter((c) => c.change === 'delete').map((c) => c.old?.name)).toEqual(['gone']);
      expect(iface.filter((c) => c.change === 'insert').map((c) => c.row?.name)).toEqual(['new']);
      expect(iface.some((c) => c.row?.name === 'stays')).toBe(false);
    } finally {
      await session.stop();
    }
  });

  it('falls back to monitor v1 on a server that refuses monitor_cond_since, and resyncs on it too', async () => {
    const ovs = await startOvs({ dummy: true });
    await ovs.addBridge('br0');
    await ovs.vsctl('add-port', 'br0', 'gone', '--', 'set', 'interface', 'gone', 'type=internal');
    // ovsdb-server's own switch for testing clients against servers without monitor_cond.
    await run('ovs-appctl', ['-t', join(ovs.dir, 'ovsdb-server.ctl'), 'ovsdb-server/disable-monitor-cond']);
    const { session, watch } = watchedSession(`unix:${ovs.dbSock}`);
    try {
      await until(() => watch.syncs === 1, 'first sync');
      expect(session.idl.lastTransactionId).toBeUndefined();
      expect(interfaceNames(session)).toEqual(['br0', 'gone']);
      await ovs.vsctl('set', 'interface', 'gone', 'external_ids:iface-id=lp-9');
      await until(
        () => interfaces(session.idl).find((i) => i.name === 'gone')?.ifaceId === 'lp-9',
        'an update through monitor v1',
      );
      watch.changes.length = 0;
      await dropConnection(session);
      await ovs.vsctl('del-port', 'br0', 'gone');
      await until(() => watch.syncs === 2, 'resync');
      expect(interfaceNames(session)).toEqual(['br0']);
      expect(session.idl.lastSyncResumed).toBe(false);
      const iface = watch.changes.filter((c) => c.table === 'Interface');
      expect(iface.map((c) => `${c.change}:${c.old?.name}`)).toEqual(['delete:gone']);
    } finally {
      await session.stop();
    }
  });
});
