/**
 * viperflow through the real fastify Web API, called the ways VLCP clients call it: GET with a
 * query string, POST with a form, POST with JSON, and backtick literals for structured values.
 */
import { viperflowModule } from '../../../../src/modules/viperflow';
import { cleanupAll } from '../../../harness';
import { firstResult, webApiClient } from '../../webapi/webapi-client';

const { start, app, get, postForm, postJson } = webApiClient();
const first = firstResult;
beforeAll(() => start([viperflowModule]));
afterAll(cleanupAll);

describe('viperflow over the Web API (VLCP calling conventions)', () => {
  it('builds a network the way VLCP tutorials do: GET, form, JSON, backtick literals', async () => {
    const phy = await get('/viperflow/createphysicalnetwork', {
      id: 'vlan-phy',
      vlanrange: '`[(100, 200)]`',
    });
    expect(phy.status).toBe(200);
    expect(first(phy)).toMatchObject({ id: 'vlan-phy', type: 'vlan', vlanrange: [[100, 200]] });

    const ln = await postForm('/viperflow/createlogicalnetwork', {
      physicalnetwork: 'vlan-phy',
      id: 'net-a',
      vlanid: '150',
      mtu: '1450',
      domain_name: 'example.org',
    });
    expect(ln.status).toBe(200);
    expect(first(ln)).toMatchObject({ id: 'net-a', vlanid: 150, mtu: 1450, domain_name: 'example.org' });

    const sn = await postJson('/viperflow/createsubnet', {
      id: 'sub-a',
      logicalnetwork: 'net-a',
      cidr: '10.5.0.0/24',
      gateway: '10.5.0.1',
      dns_nameservers: ['10.5.0.1'],
    });
    expect(first(sn)).toMatchObject({ id: 'sub-a', cidr: '10.5.0.0/24', network: { id: 'net-a' } });

    const port = await get('/viperflow/createlogicalport', {
      logicalnetwork: 'net-a',
      subnet: 'sub-a',
      id: '`None`',
      extra_dhcp_options: '`[(42, "10.5.0.1")]`',
    });
    expect(port.status).toBe(200);
    expect(first(port)).toMatchObject({ ip_address: '10.5.0.2', extra_dhcp_options: [[42, '10.5.0.1']] });
    expect(first(port).id).toMatch(/^[0-9a-f-]{36}$/);

    const listed = await get('/viperflow/listlogicalports', { logicalnetwork: 'net-a' });
    expect((listed.body.result as unknown[]).length).toBe(1);
    // A query-string filter matches the stored number.
    const byVlan = await get('/viperflow/listlogicalnetworks', { vlanid: '150' });
    expect((byVlan.body.result as { id: string }[]).map((n) => n.id)).toEqual(['net-a']);
  });

  it('a batch with one bad item is refused as a whole, naming the item and field', async () => {
    await get('/viperflow/createphysicalnetwork', { id: 'vx', type: 'vxlan', vnirange: '`[[1, 100]]`' });
    await postJson('/viperflow/createlogicalnetwork', { id: 'net-b', physicalnetwork: 'vx' });
    await postJson('/viperflow/createsubnet', { id: 'sub-b', logicalnetwork: 'net-b', cidr: '10.6.0.0/30' });
    const r = await postJson('/viperflow/createlogicalports', {
      ports: [
        { id: 'b1', logicalnetwork: 'net-b', subnet: 'sub-b' },
        { id: 'b2', logicalnetwork: 'net-b', subnet: 'sub-b' },
        { id: 'b3', logicalnetwork: 'net-b', subnet: 'sub-b' },
      ],
    });
    expect(r.status).toBe(409);
    expect(r.body.parameter).toBe('ports.2.subnet');
    expect(r.body.error).toBe(
      'ports.2.subnet: no free address left in subnet sub-b (pool 10.6.0.1-10.6.0.2)',
    );
    expect((await get('/viperflow/listlogicalports', { logicalnetwork: 'net-b' })).body.result).toEqual([]);
    // Backtick literal of a batch, Python style.
    const ok = await get('/viperflow/createlogicalports', {
      ports: "`[{'id': 'b1', 'logicalnetwork': 'net-b', 'subnet': 'sub-b'}]`",
    });
    expect(ok.status).toBe(200);
    expect(first(ok)).toMatchObject({ id: 'b1', ip_address: '10.6.0.1' });
  });

  it('answers 400 for malformed values, 404 for missing objects, 409 for conflicts', async () => {
    const bad = await get('/viperflow/createsubnet', { logicalnetwork: 'net-a', cidr: '10.7.0.0' });
    expect(bad.status).toBe(400);
    expect(bad.body.parameter).toBe('cidr');
    const missing = await postForm('/viperflow/updatelogicalnetwork', { id: 'nope', mtu: '1400' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('id: logical network nope does not exist');
    const busy = await postForm('/viperflow/deletelogicalnetwork', { id: 'net-a' });
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatch(/^id: logical network net-a still has subnet sub-a$/);
    const unknownField = await postForm('/viperflow/deletelogicalnetwork', { id: 'net-a', force: 'true' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.parameter).toBe('force');
  });

  it('lists every viperflow API in the OpenAPI document', async () => {
    const r = await app().inject({ method: 'GET', url: '/openapi.json' });
    const text = r.body;
    for (const api of ['createphysicalnetworks', 'updatelogicalports', 'listsubnets', 'deletephysicalport']) {
      expect(text).toContain(`/viperflow/${api}`);
    }
  });
});
