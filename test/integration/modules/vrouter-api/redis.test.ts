import { cleanupAll, type RedisInstance, startRedis } from '../../../harness';
import { vrouterProperty } from './property';
import { vrouterSuite } from './suite';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(cleanupAll);

vrouterSuite('redis store', () => `${redis.url}/1`);
vrouterProperty('redis store', () => `${redis.url}/3`, 20);
