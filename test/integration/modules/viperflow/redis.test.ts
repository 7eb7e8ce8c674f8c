import { cleanupAll, type RedisInstance, startRedis } from '../../../harness';
import { startViperflow } from './env';
import { viperflowProperty } from './property';
import { brokenInvariants, storeContents } from './store-contents';
import { viperflowSuite } from './suite';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(cleanupAll);

viperflowSuite('redis store', () => `${redis.url}/1`);
viperflowProperty('redis store', () => `${redis.url}/3`, 30);

describe('viperflow on two controller nodes sharing one Redis', () => {
  it('concurrent creates from both nodes allocate distinct VLAN ids and addresses', async () => {
    const [a, b] = [await startViperflow(`${redis.url}/2`), await startViperflow(`${redis.url}/2`)];
    try {
      await a.call('createphysicalnetwork', { id: 'shared', type: 'vlan', vlanrange: [[10, 69]] });
      const nets = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? a : b).call('createlogicalnetwork', { physicalnetwork: 'shared' }),
        ),
      );
      const vlans = nets.map((r) => (r as { vlanid: number }[])[0]!.vlanid);
      expect(new Set(vlans).size).toBe(30);
      await a.call('createsubnet', {
        id: 'sn',
        logicalnetwork: (nets[0] as { id: string }[])[0]!.id,
        cidr: '10.1.0.0/24',
      });
      const ln = (nets[0] as { id: string }[])[0]!.id;
      const ports = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? a : b).call('createlogicalport', { logicalnetwork: ln, subnet: 'sn' }),
        ),
      );
      expect(new Set(ports.map((r) => (r as { ip_address: string }[])[0]!.ip_address)).size).toBe(30);
      expect(brokenInvariants(await storeContents(a.db))).toEqual([]);
      // Each node reads what the other wrote.
      expect((await b.call('listlogicalports', { logicalnetwork: ln })) as unknown[]).toHaveLength(30);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
