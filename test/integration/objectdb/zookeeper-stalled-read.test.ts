/**
 * A read sent on a ZooKeeper connection that silently stopped delivering (a relay between
 * client and server that holds every byte, connections left open) gets no answer; at the op
 * timeout the backend replaces its session. The read is then retried once on the new
 * session, so the caller gets its answer rather than an error — and if the network stays
 * dead, the read fails with a BackendError after a bounded wait, and the store works again
 * once the network is back.
 */
import { BackendError, ObjectDb } from '../../../src/objectdb';
import { ZookeeperBackend } from '../../../src/objectdb/zookeeper/backend';
import {
  cleanupAll,
  startTcpProxy,
  startZookeeper,
  type TcpProxy,
  type ZookeeperInstance,
} from '../../harness';

let zk: ZookeeperInstance;
let relay: TcpProxy;
let db: ObjectDb;
const OP_TIMEOUT_MS = 3000;

beforeAll(async () => {
  zk = await startZookeeper();
  relay = await startTcpProxy(zk.port);
  db = new ObjectDb(
    await ZookeeperBackend.open(`zookeeper://127.0.0.1:${relay.port}/stalled`, {
      opTimeoutMs: OP_TIMEOUT_MS,
    }),
  );
}, 60000);
afterAll(async () => {
  relay?.resume();
  await db?.close();
  await cleanupAll();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a read caught by a stalled connection is answered on the renewed session', async () => {
  await db.transact([], () => ({ probe: 'v1' }));
  relay.stall();
  const read = db.get(['probe']);
  // Past the op timeout: the first attempt has failed and a new session is being opened
  // (through the stalled relay, so it waits too). The network comes back before the retry.
  await sleep(OP_TIMEOUT_MS + 500);
  relay.resume();
  const snap = await read;
  expect(snap.values.get('probe' as never)).toBe('v1');
  // The renewed session serves transactions as well.
  await db.transact(['probe'], () => ({ probe: 'v2' }));
  expect((await db.get(['probe'])).values.get('probe' as never)).toBe('v2');
}, 60000);

test('with the network still dead the read fails with a BackendError; the store recovers after', async () => {
  relay.stall();
  try {
    await expect(db.get(['probe'])).rejects.toBeInstanceOf(BackendError);
  } finally {
    relay.resume();
  }
  await db.transact(['probe'], () => ({ probe: 'v3' }));
  expect((await db.get(['probe'])).values.get('probe' as never)).toBe('v3');
}, 60000);
