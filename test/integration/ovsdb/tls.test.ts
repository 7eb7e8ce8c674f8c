/**
 * OVSDB over TLS with a real ovsdb-server: both ends (we connect to its `pssl:` remote; it
 * connects to our `pssl:` listener after `set-manager ssl:`), with certificates checked
 * both ways.
 */
import { IdlSession, interfaces, listenOvsdb, OPEN_VSWITCH_TABLES, OvsdbClient } from '../../../src/ovsdb';
import { cleanupAll, type OvsdbServerInstance, startOvsdbServer } from '../../harness';
import { until } from './until';

let server: OvsdbServerInstance;
beforeAll(async () => {
  server = await startOvsdbServer({ ssl: true });
  await server.vsctl('add-br', 'br0');
});
afterAll(cleanupAll);

const trusted = () => {
  const { key, cert } = server.certificate!;
  // ovsdb-server checks our certificate against its CA (the same self-signed one).
  return { key, cert, ca: cert, servername: 'localhost' };
};

describe('OVSDB over TLS', () => {
  it('the active end talks to the pssl remote, and an IDL session follows changes over it', async () => {
    const c = await OvsdbClient.connect(`ssl:127.0.0.1:${server.sslPort}`, { tls: trusted() });
    try {
      expect(await c.listDbs()).toContain('Open_vSwitch');
      const [sel] = (await c.transact('Open_vSwitch', [
        { op: 'select', table: 'Bridge', where: [], columns: ['name'] },
      ])) as [{ rows: { name: string }[] }];
      expect(sel.rows).toEqual([{ name: 'br0' }]);
    } finally {
      c.close();
    }

    let syncs = 0;
    const session = new IdlSession(`ssl:127.0.0.1:${server.sslPort}`, 'Open_vSwitch', OPEN_VSWITCH_TABLES, {
      tls: trusted(),
      onSync: () => {
        syncs++;
      },
    });
    session.start();
    try {
      await until(() => syncs === 1, 'the first sync over TLS');
      await server.vsctl('add-port', 'br0', 'p1');
      await until(() => interfaces(session.idl).some((i) => i.name === 'p1'), 'p1 over TLS');
    } finally {
      await session.stop();
    }
  });

  it('is refused without a client certificate, and refuses a server it does not trust', async () => {
    const { cert } = server.certificate!;
    const anonymous = (async () => {
      const c = await OvsdbClient.connect(`ssl:127.0.0.1:${server.sslPort}`, {
        tls: { ca: cert, servername: 'localhost' },
      });
      try {
        return await c.listDbs();
      } finally {
        c.close();
      }
    })();
    await expect(anonymous).rejects.toThrow();
    await expect(OvsdbClient.connect(`ssl:127.0.0.1:${server.sslPort}`, {})).rejects.toThrow(
      /self-signed|certificate/,
    );
  });

  it('the passive end accepts ovsdb-server connecting over ssl after set-manager', async () => {
    const { key, cert } = server.certificate!;
    const connected: OvsdbClient[] = [];
    const listener = await listenOvsdb('pssl:0:127.0.0.1', {
      tls: { key, cert, ca: cert, requestCert: true, rejectUnauthorized: true },
      onClient: (c) => connected.push(c),
    });
    try {
      await server.vsctl('set-manager', `ssl:127.0.0.1:${listener.port}`);
      await until(() => connected.length > 0, 'ovsdb-server to connect over TLS');
      const c = connected[0]!;
      expect(await c.listDbs()).toContain('Open_vSwitch');
      expect(await c.echo('over-tls')).toEqual(['over-tls']);
    } finally {
      await server.vsctl('del-manager');
      await listener.close();
    }
  });
});
