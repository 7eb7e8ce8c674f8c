/**
 * Routers and router interfaces carry VLCP's class names in every dump, including the
 * replies of viperflow calls that reach them through a subnet's `router` reference
 * (`listsubnets`, `listlogicalports`), not only in vrouterapi's own replies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonValue } from '../../../../src/objectdb';
import { cleanupAll } from '../../../harness';
import { type RouterEnv, startRouterEnv } from './env';

type Dumped = { readonly [k: string]: JsonValue } & { readonly _type: string };
const dir = mkdtempSync(join(tmpdir(), 'vrouterapi-dump-types-'));
let env: RouterEnv;

beforeAll(async () => {
  env = await startRouterEnv(`embedded:${dir}`);
  await env.vf('createphysicalnetwork', { id: 'pn', type: 'vlan', vlanrange: [[10, 20]] });
  await env.vf('createlogicalnetwork', { id: 'n1', physicalnetwork: 'pn' });
  await env.vf('createsubnet', { id: 's1', logicalnetwork: 'n1', cidr: '10.9.0.0/24', gateway: '10.9.0.1' });
  await env.vf('createlogicalport', { id: 'p1', logicalnetwork: 'n1', subnet: 's1' });
  await env.call('createvirtualrouter', { id: 'r1' });
  await env.call('addrouterinterface', { router: 'r1', subnet: 's1', id: 'if1' });
});
afterAll(async () => {
  await env.stop();
  rmSync(dir, { recursive: true, force: true });
});
afterAll(cleanupAll);

const ROUTER_PORT = 'vlcp.utils.networkmodel.RouterPort';
const ROUTER = 'vlcp.utils.networkmodel.VRouter';

it('a subnet listed by viperflow shows its router interface and router with their VLCP classes', async () => {
  const [subnet] = (await env.vf('listsubnets', { id: 's1' })) as Dumped[];
  const rp = subnet!.router as Dumped;
  expect(subnet!._type).toBe('vlcp.utils.networkmodel.SubNet');
  expect(rp._type).toBe(ROUTER_PORT);
  expect((rp.router as Dumped)._type).toBe(ROUTER);
});

it('so does a logical port, through its subnet', async () => {
  const [port] = (await env.vf('listlogicalports', { id: 'p1' })) as Dumped[];
  const rp = (port!.subnet as Dumped).router as Dumped;
  expect(rp._type).toBe(ROUTER_PORT);
  expect((rp.router as Dumped)._type).toBe(ROUTER);
});

it("and vrouterapi's own replies name them the same way", async () => {
  const [itf] = (await env.call('listrouterinterfaces', { id: 'r1' })) as Dumped[];
  expect(itf!._type).toBe(ROUTER_PORT);
  expect((itf!.router as Dumped)._type).toBe(ROUTER);
  // Met again inside itself (subnet -> router -> the interface): just its type and key.
  expect(((itf!.subnet as Dumped).router as Dumped)._type).toBe(ROUTER_PORT);
  const [router] = (await env.call('listvirtualrouters', { id: 'r1' })) as Dumped[];
  expect(router!._type).toBe(ROUTER);
});
