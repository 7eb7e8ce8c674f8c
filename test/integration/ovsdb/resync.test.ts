import { IdlSession, interfaces, OPEN_VSWITCH_TABLES, type RowChange } from '../../../src/ovsdb';
import { cleanupAll, startOvs } from '../../harness';

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
});
