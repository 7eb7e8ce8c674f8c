/**
 * vrouterapi's behaviour through the module runtime's API call path (schema validation
 * included), run against each store backend (embedded.test.ts, redis.test.ts): every API,
 * every refusal with its message and status, and the whole store unchanged after each refusal.
 * Each test uses its own ids, so tests share one store.
 */

import { ApiInputError } from '../../../../src/modules/runtime';
import { watchVirtualRouter } from '../../../../src/modules/vrouter-api';
import { list, type Obj, uid } from '../api-results';
import { routerContents, routerInvariants } from './contents';
import { type RouterEnv, startRouterEnv } from './env';

export function vrouterSuite(name: string, url: () => string): void {
  describe(`vrouterapi (${name})`, () => {
    let env: RouterEnv;
    beforeAll(async () => {
      env = await startRouterEnv(url());
    });
    afterAll(async () => {
      await env?.stop();
    });
    afterEach(async () => {
      expect(routerInvariants(await routerContents(env.db))).toEqual([]);
    });

    /** A logical network with subnets of the given CIDRs (gateway .1 unless told); returns their ids. */
    const subnets = async (
      ...specs: (string | { cidr: string; gateway?: string | null; [k: string]: unknown })[]
    ) => {
      const phy = uid('phy');
      await env.vf('createphysicalnetwork', { id: phy, type: 'vxlan', vnirange: [[1, 10000]] });
      const ids: string[] = [];
      for (const spec of specs) {
        const s = typeof spec === 'string' ? { cidr: spec } : spec;
        const ln = uid('ln');
        await env.vf('createlogicalnetwork', { id: ln, physicalnetwork: phy });
        const id = uid('sn');
        const gateway = s.gateway === undefined ? s.cidr.replace(/\.0\/\d+$/, '.1') : s.gateway;
        const { gateway: _g, ...rest } = s;
        await env.vf('createsubnet', {
          ...rest,
          id,
          logicalnetwork: ln,
          ...(gateway === null ? {} : { gateway }),
        });
        ids.push(id);
      }
      return ids;
    };
    const router = async (extra: Record<string, unknown> = {}) => {
      const id = uid('r');
      await env.call('createvirtualrouter', { id, ...extra });
      return id;
    };
    /** Expects the call to be refused with `status` and a message matching `message`, changing nothing. */
    const refused = async (
      api: string,
      params: Record<string, unknown>,
      status: 400 | 404 | 409,
      message: RegExp,
      module = 'vrouterapi',
    ) => {
      const before = await routerContents(env.db);
      const e = await env.failure(api, params, module);
      expect(e.message).toMatch(message);
      expect(e instanceof ApiInputError ? e.status : 400).toBe(status);
      expect(await routerContents(env.db)).toEqual(before);
      return e;
    };

    describe('virtual routers', () => {
      it('creates, lists and updates routers in VLCP dump form with **kwargs stored', async () => {
        const id = uid('r');
        const r = list(await env.call('createvirtualrouter', { id, name: 'edge', zone: 3 }));
        expect(r).toEqual([
          {
            _type: 'vlcp.utils.networkmodel.VRouter',
            _key: `vrouterapi.virtualrouter.${id}`,
            id,
            name: 'edge',
            zone: 3,
            routerno: expect.any(Number),
            routes: [],
          },
        ]);
        const auto = list(await env.call('createvirtualrouter', {}));
        expect(auto[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
        const two = list(
          await env.call('createvirtualrouters', { routers: [{ id: uid('r'), name: 'b' }, { name: 'c' }] }),
        );
        expect(two.map((x) => x.name)).toEqual(['b', 'c']);
        expect(list(await env.call('listvirtualrouters', { id }))).toEqual(r);
        expect(list(await env.call('listvirtualrouters', { name: 'edge' })).map((x) => x.id)).toEqual([id]);
        expect(list(await env.call('listvirtualrouters', {})).map((x) => x.id)).toEqual(
          expect.arrayContaining([id, auto[0]!.id, two[0]!.id, two[1]!.id]),
        );
        expect(list(await env.call('listvirtualrouters', { id: uid('none') }))).toEqual([]);
        const u = list(await env.call('updatevirtualrouter', { id, name: 'core' }));
        expect(u[0]).toMatchObject({ id, name: 'core', zone: 3, routes: [] });
      });

      it('refuses bad creates and updates, changing nothing', async () => {
        const id = await router();
        await refused(
          'createvirtualrouter',
          { id },
          409,
          new RegExp(`^id: virtual router ${id} already exists`),
        );
        await refused(
          'createvirtualrouters',
          { routers: [{ id: uid('r') }, { id }] },
          409,
          /^routers\.1\.id: virtual router .* already exists/,
        );
        const dup = uid('r');
        await refused(
          'createvirtualrouters',
          { routers: [{ id: dup }, { id: dup }] },
          400,
          /^routers\.1\.id: .* appears twice in this call/,
        );
        await refused(
          'createvirtualrouter',
          { id: uid('r'), routes: [['10.9.0.0/16', '10.0.0.5']] },
          400,
          /^routes\.0: next hop 10\.0\.0\.5 is not inside any subnet attached to the router \(it has no interfaces\)/,
        );
        await refused(
          'createvirtualrouter',
          { id: uid('r'), interfaces: [] },
          400,
          /^interfaces: is managed by/,
        );
        await refused(
          'createvirtualrouter',
          { id: uid('r'), _type: 'x' },
          400,
          /^_type: attribute names starting/,
        );
        await refused(
          'createvirtualrouter',
          { id: uid('r'), routes: [['10.0.0.0/33', '10.0.0.1']] },
          400,
          /routes/,
        );
        await refused('createvirtualrouter', { id: uid('r'), routes: [['10.0.0.0/8']] }, 400, /routes/);
        await refused('createvirtualrouter', { id: 'x'.repeat(600) }, 400, /^id: cannot be used as an id/);
        await refused(
          'updatevirtualrouter',
          { id: uid('r'), name: 'x' },
          404,
          /^id: virtual router .* does not exist/,
        );
        await refused('updatevirtualrouter', { id, interfaces: [] }, 400, /^interfaces: is managed by/);
        await refused(
          'updatevirtualrouters',
          {
            routers: [
              { id, name: 'a' },
              { id, name: 'b' },
            ],
          },
          400,
          /^routers\.1\.id: virtual router .* appears twice/,
        );
        await refused('deletevirtualrouter', { id: uid('r') }, 404, /^id: virtual router .* does not exist/);
        await refused('deletevirtualrouter', { id, extra: 1 }, 400, /extra/);
      });

      it('deletes routers without interfaces, one or a batch', async () => {
        const [a, b, c] = [await router(), await router(), await router()];
        expect(await env.call('deletevirtualrouter', { id: a })).toEqual({ status: 'OK' });
        expect(await env.call('deletevirtualrouters', { routers: [{ id: b }, { id: c }] })).toEqual({
          status: 'OK',
        });
        const left = list(await env.call('listvirtualrouters', {})).map((x) => x.id);
        expect(left).not.toEqual(expect.arrayContaining([a]));
        expect(left.some((x) => x === b || x === c)).toBe(false);
      });
    });

    describe('router interfaces', () => {
      it("attaches a subnet at its gateway; the subnet references the interface (VLCP's subnet.router)", async () => {
        const [s1] = await subnets('10.1.0.0/24');
        const r = await router();
        const iid = uid('if');
        const got = list(
          await env.call('addrouterinterface', { router: r, subnet: s1, id: iid, note: 'up' }),
        );
        expect(got).toHaveLength(1);
        expect(got[0]).toMatchObject({
          _type: 'vlcp.utils.networkmodel.RouterPort',
          _key: `vrouterapi.routerport.${iid}`,
          id: iid,
          note: 'up',
          router: { _type: 'vlcp.utils.networkmodel.VRouter', id: r, routes: [] },
          subnet: {
            _type: 'vlcp.utils.networkmodel.SubNet',
            id: s1,
            cidr: '10.1.0.0/24',
            gateway: '10.1.0.1',
            router: { _type: 'vlcp.utils.networkmodel.RouterPort', _key: `vrouterapi.routerport.${iid}` },
          },
        });
        expect(got[0]!.ip_address).toBeUndefined();
        const sub = list(await env.vf('listsubnets', { id: s1 }))[0]!;
        expect(sub.router).toMatchObject({ id: iid, router: { id: r } });
        const ifs = list(await env.call('listrouterinterfaces', { id: r }));
        expect(ifs.map((x) => x.id)).toEqual([iid]);
        expect(list(await env.call('listrouterinterfaces', { id: r, subnet: s1 })).map((x) => x.id)).toEqual([
          iid,
        ]);
        expect(list(await env.call('listrouterinterfaces', { id: r, note: 'down' }))).toEqual([]);
        expect(list(await env.call('listrouterinterfaces', { id: uid('none') }))).toEqual([]);
        // The subnet keeps its interface through viperflow updates.
        await env.vf('updatesubnet', { id: s1, mtu: 1400 });
        expect(list(await env.vf('listsubnets', { id: s1 }))[0]!.router).toMatchObject({ id: iid });
        await refused(
          'updatesubnet',
          { id: s1, router: 'x' },
          400,
          /^router: is set by the virtual router APIs/,
          'viperflow',
        );
        // Gets a generated id without one.
        const [s2] = await subnets('10.2.0.0/24');
        const auto = list(await env.call('addrouterinterface', { router: r, subnet: s2 }))[0]!;
        expect(auto.id).toMatch(/^[0-9a-f-]{36}$/);
      });

      it('an explicit ip_address is held in the subnet map: ports cannot take it, and removal frees it', async () => {
        const [s1] = await subnets({ cidr: '10.3.0.0/29' });
        const ln = String((list(await env.vf('listsubnets', { id: s1 }))[0]!.network as Obj).id);
        const r = await router();
        const iid = uid('if');
        const got = list(
          await env.call('addrouterinterface', { router: r, subnet: s1, id: iid, ip_address: '10.3.0.2' }),
        )[0]!;
        expect(got.ip_address).toBe('10.3.0.2');
        await refused(
          'createlogicalport',
          { logicalnetwork: ln, subnet: s1, ip_address: '10.3.0.2' },
          409,
          new RegExp(`^ip_address: 10\\.3\\.0\\.2 is already used by vrouterapi\\.routerport\\.${iid}`),
          'viperflow',
        );
        // Automatic picks skip the gateway (.1) and the router's address (.2).
        const p = list(await env.vf('createlogicalport', { logicalnetwork: ln, subnet: s1 }))[0]!;
        expect(p.ip_address).toBe('10.3.0.3');
        await env.call('removerouterinterface', { router: r, subnet: s1 });
        const q = list(
          await env.vf('createlogicalport', { logicalnetwork: ln, subnet: s1, ip_address: '10.3.0.2' }),
        )[0]!;
        expect(q.ip_address).toBe('10.3.0.2');
        expect(list(await env.vf('listsubnets', { id: s1 }))[0]!.router).toBeUndefined();
      });

      it('refuses bad interfaces with the item and field named, changing nothing', async () => {
        const [s1, s2, sNoGw, sOverlap] = await subnets(
          '10.4.0.0/24',
          '10.5.0.0/24',
          { cidr: '10.6.0.0/24', gateway: null },
          '10.4.0.0/25',
        );
        const [pooled] = await subnets({
          cidr: '10.7.0.0/24',
          allocated_start: '10.7.0.10',
          allocated_end: '10.7.0.20',
        });
        const ln = String((list(await env.vf('listsubnets', { id: s2 }))[0]!.network as Obj).id);
        await env.vf('createlogicalport', {
          id: uid('p'),
          logicalnetwork: ln,
          subnet: s2,
          ip_address: '10.5.0.7',
        });
        const [r, other] = [await router(), await router()];
        const iid = uid('if');
        await env.call('addrouterinterface', { router: r, subnet: s1, id: iid });

        await refused(
          'addrouterinterface',
          { router: uid('r'), subnet: s2 },
          404,
          /^router: virtual router .* does not exist/,
        );
        await refused(
          'addrouterinterface',
          { router: r, subnet: uid('s') },
          404,
          /^subnet: subnet .* does not exist/,
        );
        await refused(
          'addrouterinterface',
          { router: r, subnet: s2, id: iid },
          409,
          /^id: router interface .* already exists/,
        );
        await refused(
          'addrouterinterface',
          { router: other, subnet: s1 },
          409,
          new RegExp(
            `^subnet: subnet ${s1} is already attached to virtual router ${r} \\(router interface ${iid}\\)`,
          ),
        );
        await refused(
          'addrouterinterface',
          { router: r, subnet: s1 },
          409,
          new RegExp(`^subnet: subnet ${s1} already has router interface ${iid} on virtual router ${r}`),
        );
        await refused(
          'addrouterinterface',
          { router: r, subnet: sOverlap },
          409,
          new RegExp(
            `^subnet: 10\\.4\\.0\\.0/25 of subnet ${sOverlap} overlaps subnet ${s1} \\(10\\.4\\.0\\.0/24\\)`,
          ),
        );
        await refused(
          'addrouterinterface',
          { router: r, subnet: s2, ip_address: '10.9.0.1' },
          400,
          /^ip_address: 10\.9\.0\.1 is not inside subnet .* \(10\.5\.0\.0\/24\)/,
        );
        await refused(
          'addrouterinterface',
          { router: r, subnet: s2, ip_address: '10.5.0.1' },
          400,
          /^ip_address: 10\.5\.0\.1 is the gateway of subnet .*; leave ip_address out/,
        );
        await refused(
          'addrouterinterface',
          { router: r, subnet: pooled, ip_address: '10.7.0.30' },
          400,
          /^ip_address: 10\.7\.0\.30 is outside the pool 10\.7\.0\.10-10\.7\.0\.20/,
        );
        await refused(
          'addrouterinterface',
          { router: r, subnet: s2, ip_address: '10.5.0.7' },
          409,
          /^ip_address: 10\.5\.0\.7 is already used by logical port p-/,
        );
        await refused(
          'addrouterinterface',
          { router: r, subnet: sNoGw },
          400,
          /^ip_address: is required: subnet .* has no gateway/,
        );
        await refused(
          'addrouterinterface',
          { router: r, subnet: s2, ip_address: '10.5.0.300' },
          400,
          /ip_address/,
        );
        await refused('addrouterinterface', { router: r }, 400, /subnet/);
        // A batch with one bad item writes nothing, naming the item.
        await refused(
          'addrouterinterfaces',
          {
            interfaces: [
              { router: other, subnet: s2 },
              { router: other, subnet: s1 },
            ],
          },
          409,
          /^interfaces\.1\.subnet: subnet .* is already attached/,
        );
        const dup = uid('if');
        await refused(
          'addrouterinterfaces',
          {
            interfaces: [
              { router: other, subnet: s2, id: dup },
              { router: other, subnet: sNoGw, id: dup, ip_address: '10.6.0.5' },
            ],
          },
          400,
          /^interfaces\.1\.id: router interface .* appears twice in this call/,
        );
        await refused(
          'addrouterinterfaces',
          {
            interfaces: [
              { router: other, subnet: s2 },
              { router: other, subnet: s2 },
            ],
          },
          409,
          /^interfaces\.1\.subnet: subnet .* already has router interface .* on virtual router/,
        );
        await refused(
          'addrouterinterfaces',
          {
            interfaces: [
              { router: other, subnet: s2, ip_address: '10.5.0.9' },
              { router: r, subnet: s2, ip_address: '10.5.0.9' },
            ],
          },
          409,
          /^interfaces\.1\.subnet: subnet .* is already attached to virtual router/,
        );
      });

      it('attaches all subnets of one logical network to one router; another router is refused', async () => {
        const [s1] = await subnets('10.13.0.0/24');
        const ln = String((list(await env.vf('listsubnets', { id: s1 }))[0]!.network as Obj).id);
        const [s2, s3] = [uid('sn'), uid('sn')];
        await env.vf('createsubnet', {
          id: s2,
          logicalnetwork: ln,
          cidr: '10.14.0.0/24',
          gateway: '10.14.0.1',
        });
        await env.vf('createsubnet', {
          id: s3,
          logicalnetwork: ln,
          cidr: '10.15.0.0/24',
          gateway: '10.15.0.1',
        });
        const [r, other] = [await router(), await router()];
        const iid = uid('if');
        await env.call('addrouterinterface', { router: r, subnet: s1, id: iid });
        const sameNetwork = new RegExp(
          `subnet: subnet ${s2} is in logical network ${ln}, whose subnet ${s1} is attached to virtual router ${r} \\(router interface ${iid}\\); all subnets of a logical network attach to one virtual router`,
        );
        await refused(
          'addrouterinterface',
          { router: other, subnet: s2 },
          409,
          new RegExp(`^${sameNetwork.source}`),
        );
        // In one batch, the first item's attachment counts for the second.
        await refused(
          'addrouterinterfaces',
          {
            interfaces: [
              { router: r, subnet: s2 },
              { router: other, subnet: s3 },
            ],
          },
          409,
          /^interfaces\.1\.subnet: subnet .* is in logical network .*, whose subnet .* is attached to virtual router/,
        );
        await env.call('addrouterinterfaces', {
          interfaces: [
            { router: r, subnet: s2 },
            { router: r, subnet: s3 },
          ],
        });
        const attached = list(await env.call('listrouterinterfaces', { id: r }));
        expect(attached.map((i) => (i.subnet as Obj).id).sort()).toEqual([s1, s2, s3].sort());
        // Once the network has left r, another router may take it.
        await env.call('removerouterinterfaces', {
          interfaces: [s1, s2, s3].map((subnet) => ({ router: r, subnet })),
        });
        await env.call('addrouterinterface', { router: other, subnet: s3 });
      });

      it('removes interfaces one at a time or in a batch, and refuses bad removals', async () => {
        const [s1, s2, s3] = await subnets('10.10.0.0/24', '10.11.0.0/24', '10.12.0.0/24');
        const r = await router();
        const other = await router();
        const added = list(
          await env.call('addrouterinterfaces', {
            interfaces: [
              { router: r, subnet: s1 },
              { router: r, subnet: s2, ip_address: '10.11.0.254' },
              { router: other, subnet: s3 },
            ],
          }),
        );
        expect(added.map((x) => (x.subnet as Obj).id)).toEqual([s1, s2, s3]);
        await refused(
          'removerouterinterface',
          { router: uid('r'), subnet: s1 },
          404,
          /^router: virtual router .* does not exist/,
        );
        await refused(
          'removerouterinterface',
          { router: r, subnet: s3 },
          404,
          new RegExp(`^subnet: subnet ${s3} is not attached to virtual router ${r}`),
        );
        await refused(
          'removerouterinterfaces',
          {
            interfaces: [
              { router: r, subnet: s1 },
              { router: r, subnet: s1 },
            ],
          },
          400,
          /^interfaces\.1\.subnet: subnet .* appears twice in this call/,
        );
        await refused(
          'removerouterinterfaces',
          {
            interfaces: [
              { router: r, subnet: s1 },
              { router: other, subnet: s1 },
            ],
          },
          404,
          /^interfaces\.1\.subnet: subnet .* is not attached/,
        );
        await refused('removerouterinterface', { router: r, subnet: s1, id: 'x' }, 400, /id/);
        expect(await env.call('removerouterinterface', { router: r, subnet: s1 })).toEqual({ status: 'OK' });
        expect(
          await env.call('removerouterinterfaces', {
            interfaces: [
              { router: r, subnet: s2 },
              { router: other, subnet: s3 },
            ],
          }),
        ).toEqual({ status: 'OK' });
        expect(list(await env.call('listrouterinterfaces', { id: r }))).toEqual([]);
        // Detached subnets can join another router.
        await env.call('addrouterinterface', { router: other, subnet: s1 });
      });

      it('refuses to delete a router with interfaces, naming them', async () => {
        const [s1, s2] = await subnets('10.13.0.0/24', '10.14.0.0/24');
        const r = await router();
        const [i1, i2] = [uid('if'), uid('if')];
        await env.call('addrouterinterfaces', {
          interfaces: [
            { router: r, subnet: s1, id: i1 },
            { router: r, subnet: s2, id: i2 },
          ],
        });
        await refused(
          'deletevirtualrouter',
          { id: r },
          409,
          new RegExp(
            `^id: virtual router ${r} still has interfaces ${i1} \\(subnet ${s1}\\), ${i2} \\(subnet ${s2}\\); remove them first`,
          ),
        );
        const free = await router();
        await refused(
          'deletevirtualrouters',
          { routers: [{ id: free }, { id: r }] },
          409,
          /^routers\.1\.id: virtual router .* still has interfaces/,
        );
        await env.call('removerouterinterfaces', {
          interfaces: [
            { router: r, subnet: s1 },
            { router: r, subnet: s2 },
          ],
        });
        expect(await env.call('deletevirtualrouters', { routers: [{ id: free }, { id: r }] })).toEqual({
          status: 'OK',
        });
      });
    });

    describe('static routes', () => {
      it('stores routes in network form once their next hops are inside attached subnets', async () => {
        const [s1, s2] = await subnets('10.20.0.0/24', '10.21.0.0/24');
        const r = await router({ name: 'keep' });
        await env.call('addrouterinterfaces', {
          interfaces: [
            { router: r, subnet: s1 },
            { router: r, subnet: s2, ip_address: '10.21.0.9' },
          ],
        });
        const u = list(
          await env.call('updatevirtualrouter', {
            id: r,
            routes: [
              ['192.168.7.3/16', '10.20.0.5'],
              ['172.16.0.9', '10.21.0.1'],
              ['0.0.0.0/0', '10.21.0.254'],
            ],
          }),
        )[0]!;
        expect(u).toMatchObject({
          name: 'keep',
          routes: [
            ['192.168.0.0/16', '10.20.0.5'],
            ['172.16.0.9/32', '10.21.0.1'],
            ['0.0.0.0/0', '10.21.0.254'],
          ],
        });
        await refused(
          'updatevirtualrouter',
          {
            id: r,
            routes: [
              ['10.99.0.0/16', '10.20.0.5'],
              ['10.98.0.0/16', '10.30.0.1'],
            ],
          },
          400,
          new RegExp(
            `^routes\\.1: next hop 10\\.30\\.0\\.1 is not inside any subnet attached to the router \\(attached: ${s1} 10\\.20\\.0\\.0/24, ${s2} 10\\.21\\.0\\.0/24\\)`,
          ),
        );
        await refused(
          'updatevirtualrouter',
          { id: r, routes: [['10.99.0.0/16', '10.20.0.1']] },
          400,
          new RegExp(`^routes\\.0: next hop 10\\.20\\.0\\.1 is the router's own address on subnet ${s1}`),
        );
        await refused(
          'updatevirtualrouter',
          { id: r, routes: [['10.99.0.0/16', '10.21.0.9']] },
          400,
          /^routes\.0: next hop 10\.21\.0\.9 is the router's own address/,
        );
        await refused(
          'updatevirtualrouter',
          {
            id: r,
            routes: [
              ['10.99.0.0/16', '10.20.0.5'],
              ['10.99.1.0/16', '10.20.0.6'],
            ],
          },
          400,
          /^routes\.1: prefix 10\.99\.0\.0\/16 is already routed by routes\.0/,
        );
        await refused(
          'updatevirtualrouters',
          {
            routers: [
              { id: r, routes: [] },
              { id: uid('r'), routes: [] },
            ],
          },
          404,
          /^routers\.1\.id: virtual router .* does not exist/,
        );
        // The interface a next hop needs cannot go; one no route needs can.
        await refused(
          'removerouterinterface',
          { router: r, subnet: s1 },
          409,
          new RegExp(
            `^subnet: route routes\\.0 \\[192\\.168\\.0\\.0/16, 10\\.20\\.0\\.5\\] of virtual router ${r} goes through subnet ${s1}`,
          ),
        );
        await env.call('updatevirtualrouter', { id: r, routes: [['0.0.0.0/0', '10.21.0.254']] });
        await env.call('removerouterinterface', { router: r, subnet: s1 });
        await refused(
          'removerouterinterface',
          { router: r, subnet: s2 },
          409,
          /^subnet: route routes\.0 \[0\.0\.0\.0\/0, 10\.21\.0\.254\]/,
        );
        await env.call('updatevirtualrouter', { id: r, routes: [] });
        await env.call('removerouterinterface', { router: r, subnet: s2 });
      });
    });

    it('a watch on one router sees its interfaces, subnets and their ports, and stays quiet for others', async () => {
      const [s1, s2] = await subnets('10.30.0.0/24', '10.31.0.0/24');
      const ln1 = String((list(await env.vf('listsubnets', { id: s1 }))[0]!.network as Obj).id);
      const ln2 = String((list(await env.vf('listsubnets', { id: s2 }))[0]!.network as Obj).id);
      const [mine, other] = [await router(), await router()];
      await env.call('addrouterinterface', { router: mine, subnet: s1 });
      await env.call('addrouterinterface', { router: other, subnet: s2 });
      const w = await watchVirtualRouter(env.db, mine);
      const shows = (key: string) =>
        new Promise<void>((resolve) => {
          const check = () => (w.current().values.get(key as never) ? resolve() : setTimeout(check, 5));
          check();
        });
      try {
        const seen: number[] = [];
        w.onChange((s) => seen.push(s.seq));
        const p1 = list(await env.vf('createlogicalport', { logicalnetwork: ln1, subnet: s1 }))[0]!;
        await shows(`viperflow.logicalport.${p1.id}`);
        const values = w.current().values;
        expect(values.get(`vrouterapi.virtualrouter.${mine}` as never)).toMatchObject({ id: mine });
        expect(values.get(`viperflow.subnet.${s1}` as never)).toMatchObject({ id: s1 });
        expect(values.get(`viperflow.logicalnetworkmap.${ln1}` as never)).toBeTruthy();
        const count = seen.length;
        // Changes to the other router and its network, then one to ours: published only for ours.
        await env.call('updatevirtualrouter', { id: other, name: 'x' });
        await env.vf('createlogicalport', { logicalnetwork: ln2, subnet: s2 });
        await env.call('updatevirtualrouter', { id: mine, name: 'y' });
        await new Promise<void>((resolve) => {
          const check = () =>
            (w.current().values.get(`vrouterapi.virtualrouter.${mine}` as never) as Obj | null)?.name === 'y'
              ? resolve()
              : setTimeout(check, 5);
          check();
        });
        expect(seen.length).toBe(count + 1);
        expect([...w.current().values.keys()].some((k) => k.includes(other) || k.includes(ln2))).toBe(false);
      } finally {
        w.close();
      }
    });

    it('deletesubnet, and a cidr or gateway change, are refused while a router interface uses the subnet', async () => {
      const [s1] = await subnets('10.40.0.0/24');
      const r = await router();
      await env.call('addrouterinterface', { router: r, subnet: s1 });
      try {
        await refused('deletesubnet', { id: s1 }, 409, /router/, 'viperflow');
        await refused('updatesubnet', { id: s1, gateway: '10.40.0.9' }, 409, /virtual router/, 'viperflow');
        await refused('updatesubnet', { id: s1, cidr: '10.41.0.0/24' }, 409, /virtual router/, 'viperflow');
      } finally {
        // Removal works whether or not the subnet is still there, leaving the store consistent.
        await env.call('removerouterinterface', { router: r, subnet: s1 });
      }
    });
  });
}
