/** Opens ObjectDB from a URL: `embedded:<dir>`, `redis://...`, `redis-sentinel://...`, `zookeeper://...`. */
import type { Backend } from './backend';
import { EmbeddedBackend } from './embedded/backend';
import { InvalidObjectDbUrlError } from './errors';
import { ObjectDb, type ObjectDbOptions } from './objectdb';

export const DEFAULT_OBJECTDB_URL = 'embedded:./data';

export async function openBackend(url: string): Promise<Backend> {
  const colon = url.indexOf(':');
  if (colon < 0) throw new InvalidObjectDbUrlError(url, 'expected scheme:..., e.g. embedded:./data');
  const scheme = url.slice(0, colon);
  switch (scheme) {
    case 'embedded': {
      const dir = url.slice(colon + 1).replace(/^\/\//, '') || './data';
      return EmbeddedBackend.open(dir);
    }
    case 'redis':
    case 'rediss':
    case 'redis-sentinel': {
      const { RedisBackend } = await import('./redis/backend');
      return RedisBackend.open(url);
    }
    case 'zookeeper': {
      const { ZookeeperBackend } = await import('./zookeeper/backend');
      return ZookeeperBackend.open(url);
    }
    default:
      throw new InvalidObjectDbUrlError(
        url,
        `unknown scheme ${scheme} (embedded, redis, redis-sentinel, zookeeper)`,
      );
  }
}

export async function openObjectDb(
  url: string = DEFAULT_OBJECTDB_URL,
  options?: ObjectDbOptions,
): Promise<ObjectDb> {
  return new ObjectDb(await openBackend(url), options);
}
