import { openObjectDb } from '../../../src/objectdb';
import { cleanupAll, startZookeeper, type ZookeeperInstance } from '../../harness';
import { conformanceSuite } from './conformance';

let zk: ZookeeperInstance;
beforeAll(async () => {
  zk = await startZookeeper();
}, 60000);
afterAll(cleanupAll);

conformanceSuite('zookeeper', () => ({
  open: (options) => openObjectDb(`zookeeper://${zk.connectString}/conformance`, options),
}));
