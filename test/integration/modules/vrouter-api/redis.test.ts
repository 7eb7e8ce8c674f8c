import { ApiInputError } from '../../../../src/modules/runtime';
import { cleanupAll, type RedisInstance, startRedis } from '../../../harness';
import { routerContents, routerInvariants } from './contents';
import { startRouterEnv } from './env';
import { vrouterProperty } from './property';
import { vrouterSuite } from './suite';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(cleanupAll);

vrouterSuite('redis store', () => `${redis.url}/1`);
vrouterProperty('redis store', () => `${redis.url}/3`, 50);

describe('vrouterapi on two controller nodes sharing one Redis', () => {
  it('racing attachments of a subnet to two routers and a port for its address: one winner each', async () => {
    const [a, b] = [await startRouterEnv(`${redis.url}/2`), await startRouterEnv(`${redis.url}/2`)];
    try {
      await a.vf('createphysicalnetwork', { id: 'p', type: 'vxlan', vnirange: [[1, 100]] });
      await a.vf('createlogicalnetwork', { id: 'n', physicalnetwork: 'p' });
      const subnets = Array.from({ length: 10 }, (_, i) => ({
        id: `s${i}`,
        logicalnetwork: 'n',
        cidr: `10.${i}.0.0/24`,
        gateway: `10.${i}.0.1`,
      }));
      await a.vf('createsubnets', { subnets });
      await a.call('createvirtualrouters', { routers: [{ id: 'ra' }, { id: 'rb' }] });
      const outcomes = await Promise.all(
        subnets
          .flatMap((s) => [
            a.call('addrouterinterface', {
              router: 'ra',
              subnet: s.id,
              ip_address: s.gateway.replace(/1$/, '9'),
            }),
            b.call('addrouterinterface', { router: 'rb', subnet: s.id }),
            b.vf('createlogicalport', {
              logicalnetwork: 'n',
              subnet: s.id,
              ip_address: s.gateway.replace(/1$/, '9'),
            }),
          ])
          .map((p) =>
            p.then(
              () => 'ok',
              (e: unknown) => (e instanceof ApiInputError ? e.status : e),
            ),
          ),
      );
      for (let i = 0; i < subnets.length; i++) {
        const [ra, rb, port] = outcomes.slice(i * 3, i * 3 + 3);
        // Exactly one router gets the subnet; the address .9 goes to router ra or to the port.
        expect([ra, rb].filter((o) => o === 'ok')).toHaveLength(1);
        expect([ra, rb, port].every((o) => o === 'ok' || o === 409)).toBe(true);
        expect(port === 'ok').toBe(ra !== 'ok');
      }
      const attached = [
        ...((await a.call('listrouterinterfaces', { id: 'ra' })) as unknown[]),
        ...((await b.call('listrouterinterfaces', { id: 'rb' })) as unknown[]),
      ];
      expect(attached.length).toBe(outcomes.filter((o, i) => i % 3 !== 2 && o === 'ok').length);
      expect(routerInvariants(await routerContents(a.db))).toEqual([]);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
