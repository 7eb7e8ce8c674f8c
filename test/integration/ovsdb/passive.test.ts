import { listenOvsdb, type OvsdbClient } from '../../../src/ovsdb';
import { cleanupAll, startOvs } from '../../harness';
import { until } from './until';

afterAll(cleanupAll);

describe('passive OVSDB end', () => {
  it('accepts ovsdb-server connecting to us after set-manager, and talks OVSDB over it', async () => {
    const ovs = await startOvs({ dummy: true });
    const connected: OvsdbClient[] = [];
    const server = await listenOvsdb('ptcp:0:127.0.0.1', { onClient: (c) => connected.push(c) });
    try {
      await ovs.vsctl('set-manager', `tcp:127.0.0.1:${server.port}`);
      await until(() => connected.length > 0, 'ovsdb-server to connect');
      expect(connected).toHaveLength(1);
      const c = connected[0]!;
      expect(await c.listDbs()).toContain('Open_vSwitch');
      await ovs.vsctl('add-br', 'brp');
      const rows = (await c.transact('Open_vSwitch', [
        { op: 'select', table: 'Bridge', where: [['name', '==', 'brp']], columns: ['name'] },
      ])) as [{ rows: { name: string }[] }];
      expect(rows[0].rows).toEqual([{ name: 'brp' }]);
    } finally {
      await server.close();
    }
  });
});
