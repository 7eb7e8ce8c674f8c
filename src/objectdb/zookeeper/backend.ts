/** Placeholder until the ZooKeeper backend lands: a clear error instead of a silent fallback. */
import type { Backend } from '../backend';
import { InvalidObjectDbUrlError } from '../errors';

export const ZookeeperBackend = {
  async open(url: string): Promise<Backend> {
    throw new InvalidObjectDbUrlError(url, 'the zookeeper backend is not available in this build');
  },
};
