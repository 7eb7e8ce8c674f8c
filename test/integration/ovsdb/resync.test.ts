import { join } from 'node:path';
import { bridges, IdlSession, interfaces, OPEN_VSWITCH_TABLES, type RowChange } from '../../../src/ovsdb';
import { cleanupAll, run, startOvs, startOvsdbCluster } from '../../harness';

afterAll(cleanupAll);

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('IDL session', () => {
  it('reconnects after losing the connection and reports what changed meanwhile', async () => {
    const ovs = await startOvs({ dummy: true });
    await ovs.addBridge('br0');
    await ovs.vsctl('add-port', 'br0', 'gone', '--', 'set', 'interface', 'gone', 'type=internal');
    await ovs.vsctl('add-port', 'br0', 'stays', '--', 'set', 'interface', 'stays', 'type=internal');
    let syncs = 0;
    const session = new IdlSession(`tcp:127.0.0.1:${ovs.dbTcpPort}`, 'Open_vSwitch', OPEN_VSWITCH_TABLES, {
      onSync: () => {
        syncs++;
      },
    });
    const changes: RowChange[] = [];
    session.idl.onChange((c) => changes.push(...c));
    session.start();
    try {
      await until(() => syncs === 1, 'first sync');
      const names = () =>
        interfaces(session.idl)
          .map((i) => i.name)
          .sort();
      expect(names()).toEqual(['br0', 'gone', 'stays']);
      changes.length = 0;
      // ovsdb-server 3.1 speaks monitor_cond_since (a standalone database reports the zero
      // transaction id, so a reconnect reloads and reconciles rather than resuming).
      expect(session.idl.lastTransactionId).toMatch(/^[0-9a-f-]{36}$/);

      // Drop the connection, change the database while we are away.
      const conn = session.client!.connection;
      conn.close('test drops the connection');
      await conn.closed;
      await ovs.vsctl('del-port', 'br0', 'gone');
      await ovs.vsctl('add-port', 'br0', 'new', '--', 'set', 'interface', 'new', 'type=internal');
      await until(() => syncs === 2, 'resync');
      expect(names()).toEqual(['br0', 'new', 'stays']);
      const iface = changes.filter((c) => c.table === 'Interface');
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
    let syncs = 0;
    const errors: unknown[] = [];
    const session = new IdlSession(`tcp:127.0.0.1:${ovs.dbTcpPort}`, 'Open_vSwitch', OPEN_VSWITCH_TABLES, {
      keepaliveMs: 1000,
      onSync: (e) => {
        if (e === undefined) syncs++;
        else errors.push(e);
      },
    });
    const changes: RowChange[] = [];
    session.idl.onChange((c) => changes.push(...c));
    session.start();
    try {
      await until(() => syncs === 1, 'first sync');
      changes.length = 0;
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
      await until(() => syncs >= 2, 'resync after the restart');
      const names = () =>
        interfaces(session.idl)
          .map((i) => i.name)
          .sort();
      expect(names()).toEqual(['br0', 'stays']);
      const br0 = bridges(session.idl).find((b) => b.name === 'br0')!;
      expect(br0.externalIds.get('offline')).toBe('edit');
      const iface = changes.filter((c) => c.table === 'Interface');
      expect(iface.filter((c) => c.change === 'delete').map((c) => c.old?.name)).toEqual(['gone']);
      expect(
        changes.some((c) => c.table === 'Bridge' && c.change === 'update' && c.row?.name === 'br0'),
      ).toBe(true);
      // And it keeps following the restarted server.
      await ovs.vsctl('add-port', 'br0', 'later', '--', 'set', 'interface', 'later', 'type=internal');
      await until(() => names().includes('later'), 'a port added after the restart');
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
    let syncs = 0;
    const session = new IdlSession(`tcp:127.0.0.1:${db.dbTcpPort}`, 'Open_vSwitch', OPEN_VSWITCH_TABLES, {
      onSync: () => {
        syncs++;
      },
    });
    const changes: RowChange[] = [];
    session.idl.onChange((c) => changes.push(...c));
    session.start();
    try {
      await until(() => syncs === 1, 'first sync');
      expect(session.idl.lastSyncResumed).toBe(false);
      const firstTxn = session.idl.lastTransactionId;
      expect(firstTxn).toMatch(/^[0-9a-f-]{36}$/);
      expect(firstTxn).not.toBe('00000000-0000-0000-0000-000000000000');
      changes.length = 0;

      const conn = session.client!.connection;
      conn.close('test drops the connection');
      await conn.closed;
      await db.vsctl('del-port', 'br0', 'gone');
      await db.vsctl('add-port', 'br0', 'new');
      await until(() => syncs === 2, 'resync');
      // The server still had our transaction: it sent only what changed since.
      expect(session.idl.lastSyncResumed).toBe(true);
      expect(session.idl.lastTransactionId).not.toBe(firstTxn);
      expect(
        interfaces(session.idl)
          .map((i) => i.name)
          .sort(),
      ).toEqual(
        ['br0', ...Array.from({ length: 60 }, (_, i) => `bulk${i}`), 'gone', 'new', 'stays']
          .filter((n) => n !== 'gone')
          .sort(),
      );
      const iface = changes.filter((c) => c.table === 'Interface');
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
    let syncs = 0;
    const session = new IdlSession(`unix:${ovs.dbSock}`, 'Open_vSwitch', OPEN_VSWITCH_TABLES, {
      onSync: () => {
        syncs++;
      },
    });
    const changes: RowChange[] = [];
    session.idl.onChange((c) => changes.push(...c));
    session.start();
    try {
      await until(() => syncs === 1, 'first sync');
      expect(session.idl.lastTransactionId).toBeUndefined();
      const names = () =>
        interfaces(session.idl)
          .map((i) => i.name)
          .sort();
      expect(names()).toEqual(['br0', 'gone']);
      await ovs.vsctl('set', 'interface', 'gone', 'external_ids:iface-id=lp-9');
      await until(
        () => interfaces(session.idl).find((i) => i.name === 'gone')?.ifaceId === 'lp-9',
        'an update through monitor v1',
      );
      changes.length = 0;
      const conn = session.client!.connection;
      conn.close('test drops the connection');
      await conn.closed;
      await ovs.vsctl('del-port', 'br0', 'gone');
      await until(() => syncs === 2, 'resync');
      expect(names()).toEqual(['br0']);
      expect(session.idl.lastSyncResumed).toBe(false);
      const iface = changes.filter((c) => c.table === 'Interface');
      expect(iface.map((c) => `${c.change}:${c.old?.name}`)).toEqual(['delete:gone']);
    } finally {
      await session.stop();
    }
  });
});
