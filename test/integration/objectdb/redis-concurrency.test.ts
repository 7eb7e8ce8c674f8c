/**
 * Two OS processes x 20 routines of random transfers on Redis for 20 s, with faults: every
 * connection killed (CLIENT KILL), Redis restarted, one worker SIGKILLed and replaced. The
 * total is invariant in every snapshot a watcher sees; nothing acknowledged is lost.
 */
import { execFileSync } from 'node:child_process';
import { ObjectDb } from '../../../src/objectdb';
import { RedisBackend } from '../../../src/objectdb/redis/backend';
import { cleanupAll, type RedisInstance, startRedis } from '../../harness';
import { transfersUnderFaults } from './transfers-under-faults';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis({ appendOnly: true });
});
afterAll(cleanupAll);

test('transfers under faults: invariant in every snapshot, no acknowledged transfer lost', async () => {
  const url = `${redis.url}/1`;
  const db = new ObjectDb(await RedisBackend.open(url));
  await transfersUnderFaults({
    backend: 'redis',
    url,
    db,
    prefix: 'p',
    cutConnections() {
      execFileSync('redis-cli', ['-p', String(redis.port), 'CLIENT', 'KILL', 'TYPE', 'normal']);
      execFileSync('redis-cli', ['-p', String(redis.port), 'CLIENT', 'KILL', 'TYPE', 'pubsub']);
    },
    restart: () => redis.restart(),
    minAcked: 1000,
  });
  await db.close();
}, 90000);
