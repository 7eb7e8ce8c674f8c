/**
 * Two OS processes x 20 routines of random transfers on ZooKeeper for 20 s, with every
 * network connection dropped (cut at a relay between the clients and ZooKeeper), ZooKeeper
 * restarted, and one worker SIGKILLed and replaced: the total is invariant in every
 * snapshot a watcher sees; nothing acknowledged is lost; the watcher converges.
 */
import { openObjectDb } from '../../../src/objectdb';
import {
  cleanupAll,
  startTcpProxy,
  startZookeeper,
  type TcpProxy,
  type ZookeeperInstance,
} from '../../harness';
import { transfersUnderFaults } from './transfers-under-faults';

let zk: ZookeeperInstance;
let relay: TcpProxy;
beforeAll(async () => {
  zk = await startZookeeper();
  relay = await startTcpProxy(zk.port);
}, 60000);
afterAll(cleanupAll);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('transfers under faults: invariant in every snapshot, no acknowledged transfer lost', async () => {
  // Every client (watcher and workers) reaches ZooKeeper through the relay.
  const url = `zookeeper://127.0.0.1:${relay.port}/transfers`;
  const db = await openObjectDb(url);
  await transfersUnderFaults({
    backend: 'zookeeper',
    url,
    db,
    prefix: 'z',
    async cutConnections() {
      for (let i = 0; i < 200 && relay.connections < 3; i++) await sleep(50); // both workers connected
      // A dropped network connection: every client's TCP connection cut mid-stream.
      const dropped = relay.dropAll();
      expect(dropped).toBeGreaterThanOrEqual(3);
    },
    restart: () => zk.restart(),
    minAcked: 100,
    // The cut and the restart were noticed as gaps and the view re-read (start-up is one).
    checkWatch: (w) => expect(w.resyncCount).toBeGreaterThanOrEqual(2),
  });
  await db.close();
}, 300000); // ~35 s of transfers plus a ZooKeeper restart; generous for a loaded machine
