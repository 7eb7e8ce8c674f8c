/**
 * fast-check property over random sequences of vrouterapi calls (and viperflow port calls
 * that compete for the same addresses), many of them invalid, on a small universe of ids so
 * that subnets collide, addresses are taken and routes lose their next hops. After every
 * call: no subnet is in two routers, every interface's subnet exists and points back, every
 * route's next hop lies in an attached subnet (plus viperflow's own invariants); a refused
 * call — batches included — leaves every key of the universe exactly as it was.
 */
import fc from 'fast-check';
import { routerKey, routerMapKey, routerPortKey, routerSetKey } from '../../../../src/modules/vrouter-api';
import { assertCallSequences, type ModuleCall } from '../call-sequences';
import { mapKey, objectKey, setKey } from '../viperflow/keys-for-test';
import { routerContents, routerInvariants } from './contents';
import { type RouterEnv, startRouterEnv } from './env';

const ROUTERS = ['r1', 'r2', 'r3'];
const IFACES = ['i1', 'i2', 'i3', 'i4'];
const NETS = ['n1', 'n2'];
/** s3 overlaps s1; s4 has no gateway. */
const SUBNETS: readonly (readonly [string, string, string, string | undefined])[] = [
  ['s1', 'n1', '10.0.0.0/24', '10.0.0.1'],
  ['s2', 'n1', '10.0.1.0/24', '10.0.1.1'],
  ['s3', 'n2', '10.0.0.0/25', '10.0.0.1'],
  ['s4', 'n2', '10.0.2.0/24', undefined],
];
const SUB = SUBNETS.map((s) => s[0]);
const PORTS = ['q1', 'q2'];
const IPS = ['10.0.0.1', '10.0.0.5', '10.0.0.200', '10.0.1.5', '10.0.2.5', '10.9.9.9'];
const PREFIXES = ['10.50.0.0/16', '0.0.0.0/0', '10.0.0.5', '10.60.1.0/24'];

const UNIVERSE = [
  routerSetKey(),
  ...ROUTERS.flatMap((id) => [routerKey(id), routerMapKey(id)]),
  ...IFACES.map(routerPortKey),
  ...(['physicalnetwork', 'logicalnetwork', 'subnet', 'logicalport'] as const).map((k) => setKey(k)),
  objectKey('physicalnetwork', 'p'),
  mapKey('physicalnetwork', 'p'),
  ...NETS.flatMap((id) => [objectKey('logicalnetwork', id), mapKey('logicalnetwork', id)]),
  ...SUB.flatMap((id) => [objectKey('subnet', id), mapKey('subnet', id)]),
  ...PORTS.map((id) => objectKey('logicalport', id)),
  'viperflow.logicalnetworkcounter',
];

type Call = ModuleCall;

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
const mostlyAbsent = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });
/**
 * Mostly the routers that exist from the start, r1 most: s1 and s2 share a logical network,
 * which attaches to one router only, so calls spread evenly over r1 and r2 would mostly be refused.
 */
const aRouter = fc.oneof(
  { weight: 5, arbitrary: fc.constant('r1') },
  { weight: 2, arbitrary: fc.constant('r2') },
  { weight: 1, arbitrary: pick(ROUTERS) },
);
/** Mostly the two subnets that do not overlap and have gateways. */
const aSubnet = fc.oneof({ weight: 4, arbitrary: pick(['s1', 's2']) }, { weight: 1, arbitrary: pick(SUB) });
const routes = fc.array(fc.tuple(pick(PREFIXES), pick(IPS)), { maxLength: 2 });
/** Updates mostly set routes (next hops in s1 and s2 are often reachable). */
const someRoutes = fc.array(fc.tuple(pick(PREFIXES), pick(['10.0.0.5', '10.0.1.5', ...IPS])), {
  minLength: 1,
  maxLength: 2,
});
const routerUpdate = fc.record({ id: aRouter, routes: fc.oneof(routes, someRoutes, someRoutes) });
/** Creates mostly name the router that does not exist from the start. */
const routerItem = fc.record(
  {
    id: fc.oneof({ weight: 3, arbitrary: fc.constant('r3') }, { weight: 1, arbitrary: aRouter }),
    routes: maybe(routes),
  },
  { requiredKeys: ['id'] },
);
const addItem = fc.record(
  { router: aRouter, subnet: aSubnet, id: pick(IFACES), ip_address: mostlyAbsent(pick(IPS)) },
  { requiredKeys: ['router', 'subnet', 'id'] },
);
const whereItem = fc.record({ router: aRouter, subnet: aSubnet });
const batch = <T>(a: fc.Arbitrary<T>) => fc.array(a, { minLength: 1, maxLength: 3 });

const call: fc.Arbitrary<Call> = fc.oneof(
  { weight: 3, arbitrary: routerItem.map((p): Call => ['vrouterapi', 'createvirtualrouter', p]) },
  {
    weight: 1,
    arbitrary: batch(routerItem).map((routers): Call => ['vrouterapi', 'createvirtualrouters', { routers }]),
  },
  { weight: 4, arbitrary: routerUpdate.map((p): Call => ['vrouterapi', 'updatevirtualrouter', p]) },
  {
    weight: 1,
    arbitrary: batch(routerUpdate).map(
      (routers): Call => ['vrouterapi', 'updatevirtualrouters', { routers }],
    ),
  },
  { weight: 1, arbitrary: pick(ROUTERS).map((id): Call => ['vrouterapi', 'deletevirtualrouter', { id }]) },
  {
    weight: 1,
    arbitrary: batch(pick(ROUTERS)).map(
      (ids): Call => ['vrouterapi', 'deletevirtualrouters', { routers: ids.map((id) => ({ id })) }],
    ),
  },
  { weight: 8, arbitrary: addItem.map((p): Call => ['vrouterapi', 'addrouterinterface', p]) },
  {
    weight: 2,
    arbitrary: batch(addItem).map(
      (interfaces): Call => ['vrouterapi', 'addrouterinterfaces', { interfaces }],
    ),
  },
  { weight: 5, arbitrary: whereItem.map((p): Call => ['vrouterapi', 'removerouterinterface', p]) },
  {
    weight: 1,
    arbitrary: batch(whereItem).map(
      (interfaces): Call => ['vrouterapi', 'removerouterinterfaces', { interfaces }],
    ),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ id: pick(PORTS), subnet: pick(['s1', 's2']), ip_address: maybe(pick(IPS)) })
      .map((p): Call => ['viperflow', 'createlogicalport', { ...p, logicalnetwork: 'n1' }]),
  },
  { weight: 1, arbitrary: pick(PORTS).map((id): Call => ['viperflow', 'deletelogicalport', { id }]) },
);

const sequence = fc.array(call, { minLength: 1, maxLength: 20 });

export function vrouterProperty(name: string, url: () => string, numRuns: number): void {
  describe(`vrouterapi property (${name})`, () => {
    let env: RouterEnv;
    beforeAll(async () => {
      env = await startRouterEnv(url());
    });
    afterAll(async () => {
      await env?.stop();
    });

    /** An empty universe, then the fixed networks, subnets and routers every sequence starts from. */
    const reset = async () => {
      await env.db.transact(UNIVERSE, () => Object.fromEntries(UNIVERSE.map((k) => [k, null])));
      await env.vf('createphysicalnetwork', { id: 'p', type: 'vxlan', vnirange: [[1, 100]] });
      await env.vf('createlogicalnetworks', { networks: NETS.map((id) => ({ id, physicalnetwork: 'p' })) });
      await env.vf('createsubnets', {
        subnets: SUBNETS.map(([id, ln, cidr, gateway]) => ({
          id,
          logicalnetwork: ln,
          cidr,
          ...(gateway ? { gateway } : {}),
        })),
      });
      // Two routers exist from the start, so that most interface calls meet one.
      await env.call('createvirtualrouters', { routers: [{ id: 'r1' }, { id: 'r2' }] });
    };

    it('random call sequences keep routers consistent; refused calls change nothing', () =>
      assertCallSequences({
        runtime: env.runtime,
        sequence,
        numRuns,
        reset,
        contents: () => routerContents(env.db, UNIVERSE),
        invariants: routerInvariants,
      }));
  });
}
