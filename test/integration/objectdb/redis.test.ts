import { ObjectDb } from '../../../src/objectdb';
import { RedisBackend } from '../../../src/objectdb/redis/backend';
import { cleanupAll, type RedisInstance, startRedis } from '../../harness';
import { conformanceSuite } from './conformance';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(cleanupAll);

conformanceSuite('redis', () => ({
  async open(options) {
    return new ObjectDb(await RedisBackend.open(`${redis.url}/3`), options);
  },
}));
