/**
 * vrouterapi through the real fastify Web API, called the ways VLCP clients call it: GET with a
 * query string, POST with a form, POST with JSON, and backtick literals for structured values.
 */
import { viperflowModule } from '../../../../src/modules/viperflow';
import { vrouterApiModule } from '../../../../src/modules/vrouter-api';
import { cleanupAll } from '../../../harness';
import { firstResult, webApiClient } from '../../webapi/webapi-client';

const { start, app, get, postForm, postJson } = webApiClient();
const first = firstResult;
beforeAll(() => start([viperflowModule, vrouterApiModule]));
afterAll(cleanupAll);

describe('vrouterapi over the Web API (VLCP calling conventions)', () => {
  beforeAll(async () => {
    await get('/viperflow/createphysicalnetwork', { id: 'vx', type: 'vxlan', vnirange: '`[(1, 100)]`' });
    await get('/viperflow/createlogicalnetworks', {
      networks: "`[{'id': 'net-a', 'physicalnetwork': 'vx'}, {'id': 'net-b', 'physicalnetwork': 'vx'}]`",
    });
    await postJson('/viperflow/createsubnets', {
      subnets: [
        { id: 'sub-a', logicalnetwork: 'net-a', cidr: '10.1.0.0/24', gateway: '10.1.0.1' },
        { id: 'sub-b', logicalnetwork: 'net-b', cidr: '10.2.0.0/24', gateway: '10.2.0.1' },
      ],
    });
  });

  it('builds a router the way VLCP tutorials do: GET, form, JSON, backtick literals', async () => {
    const r = await get('/vrouterapi/createvirtualrouter', { id: 'r1', name: 'edge' });
    expect(r.status).toBe(200);
    expect(first(r)).toMatchObject({ _type: 'vlcp.utils.networkmodel.VRouter', id: 'r1', routes: [] });

    const i1 = await postForm('/vrouterapi/addrouterinterface', {
      router: 'r1',
      subnet: 'sub-a',
      id: 'if-a',
    });
    expect(i1.status).toBe(200);
    expect(first(i1)).toMatchObject({ id: 'if-a', subnet: { id: 'sub-a', gateway: '10.1.0.1' } });

    const i2 = await get('/vrouterapi/addrouterinterfaces', {
      interfaces: "`[{'router': 'r1', 'subnet': 'sub-b', 'ip_address': '10.2.0.254'}]`",
    });
    expect(i2.status).toBe(200);
    expect(first(i2)).toMatchObject({ ip_address: '10.2.0.254', router: { id: 'r1' } });

    const u = await get('/vrouterapi/updatevirtualrouter', {
      id: 'r1',
      routes: "`[('192.168.0.0/16', '10.2.0.7'), ('172.16.1.1', '10.1.0.9')]`",
    });
    expect(u.status).toBe(200);
    expect(first(u).routes).toEqual([
      ['192.168.0.0/16', '10.2.0.7'],
      ['172.16.1.1/32', '10.1.0.9'],
    ]);
    const listed = await get('/vrouterapi/listrouterinterfaces', { id: 'r1' });
    expect((listed.body.result as { id: string }[]).length).toBe(2);
    const routers = await get('/vrouterapi/listvirtualrouters', { name: 'edge' });
    expect((routers.body.result as { id: string }[]).map((x) => x.id)).toEqual(['r1']);
  });

  it('answers 400 for malformed values, 404 for missing objects, 409 for conflicts, naming the field', async () => {
    const bad = await get('/vrouterapi/updatevirtualrouter', {
      id: 'r1',
      routes: "`[('10.0.0.0/8', '10.9.9.9')]`",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.parameter).toBe('routes.0');
    expect(bad.body.error).toMatch(/^routes\.0: next hop 10\.9\.9\.9 is not inside any subnet attached/);
    const malformed = await postForm('/vrouterapi/addrouterinterface', {
      router: 'r1',
      subnet: 'sub-a',
      ip_address: '10.1.0.x',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.parameter).toBe('ip_address');
    const missing = await postJson('/vrouterapi/removerouterinterface', { router: 'nope', subnet: 'sub-a' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('router: virtual router nope does not exist');
    await postJson('/vrouterapi/createvirtualrouter', { id: 'r2' });
    const taken = await postJson('/vrouterapi/addrouterinterfaces', {
      interfaces: [{ router: 'r2', subnet: 'sub-a' }],
    });
    expect(taken.status).toBe(409);
    expect(taken.body.parameter).toBe('interfaces.0.subnet');
    expect(taken.body.error).toBe(
      'interfaces.0.subnet: subnet sub-a is already attached to virtual router r1 (router interface if-a)',
    );
    const busy = await postForm('/vrouterapi/deletevirtualrouter', { id: 'r1' });
    expect(busy.status).toBe(409);
    const routeNeeds = await postForm('/vrouterapi/removerouterinterface', { router: 'r1', subnet: 'sub-b' });
    expect(routeNeeds.status).toBe(409);
    expect(routeNeeds.body.error).toMatch(/^subnet: route routes\.0 \[192\.168\.0\.0\/16, 10\.2\.0\.7\]/);
  });

  it('lists every vrouterapi API in the OpenAPI document', async () => {
    const text = (await app().inject({ method: 'GET', url: '/openapi.json' })).body;
    for (const api of [
      'createvirtualrouter',
      'createvirtualrouters',
      'updatevirtualrouter',
      'updatevirtualrouters',
      'deletevirtualrouter',
      'deletevirtualrouters',
      'listvirtualrouters',
      'addrouterinterface',
      'addrouterinterfaces',
      'removerouterinterface',
      'removerouterinterfaces',
      'listrouterinterfaces',
    ]) {
      expect(text).toContain(`/vrouterapi/${api}`);
    }
  });
});
