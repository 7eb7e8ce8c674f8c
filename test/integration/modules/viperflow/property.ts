/**
 * fast-check property over random sequences of viperflow calls (many of them invalid) on a
 * small universe of ids, so that ids collide, ranges and pools run out and deletes meet
 * references: after every call the store's invariants hold (no dangling reference, no VLAN
 * id / VNI / IP / MAC held twice, sets and maps agree), and a refused call — batches
 * included — leaves the whole store exactly as it was.
 */
import fc from 'fast-check';
import { assertCallSequences, type ModuleCall } from '../call-sequences';
import { startViperflow, type ViperflowEnv } from './env';
import { mapKey, objectKey, physicalPortKey, setKey } from './keys-for-test';
import { brokenInvariants, storeContents } from './store-contents';

const PHY = ['p1', 'p2'];
const NET = ['n1', 'n2', 'n3'];
const SUB = ['s1', 's2'];
const PORT = ['q1', 'q2', 'q3', 'q4'];
const ETH = ['eth0', 'eth1'];
const MACS = ['02:00:00:00:00:01', '02:00:00:00:00:02'];
const IPS = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.5', '10.0.1.1'];

/** Every key the calls below can touch: the property compares all of them. */
const UNIVERSE = [
  ...(['physicalnetwork', 'physicalport', 'logicalnetwork', 'subnet', 'logicalport'] as const).map((k) =>
    setKey(k),
  ),
  ...PHY.flatMap((id) => [objectKey('physicalnetwork', id), mapKey('physicalnetwork', id)]),
  ...NET.flatMap((id) => [objectKey('logicalnetwork', id), mapKey('logicalnetwork', id)]),
  ...SUB.flatMap((id) => [objectKey('subnet', id), mapKey('subnet', id)]),
  ...PORT.map((id) => objectKey('logicalport', id)),
  ...ETH.map((name) => physicalPortKey({ name, vhost: '', systemid: '%', bridge: '%' })),
];

type Call = readonly [api: string, params: Record<string, unknown>];

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
/** Mostly `first`, sometimes any of `all` (so that most calls meet an existing parent). */
const mostly = <T>(first: T, all: readonly T[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(first) }, { weight: 2, arbitrary: pick(all) });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
const range = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 2 }))
  .map(([a, n]) => [a, a + n]);

const ranges = fc.array(range, { minLength: 1, maxLength: 2 });
// Mostly well-formed (the range the type needs), sometimes not.
const phynet = fc.oneof(
  { weight: 4, arbitrary: fc.record({ id: pick(PHY), type: fc.constant('vlan'), vlanrange: ranges }) },
  { weight: 3, arbitrary: fc.record({ id: pick(PHY), type: fc.constant('vxlan'), vnirange: ranges }) },
  { weight: 2, arbitrary: fc.record({ id: pick(PHY), type: fc.constant('native') }) },
  {
    weight: 1,
    arbitrary: fc.record({
      id: pick(PHY),
      type: pick(['vlan', 'vxlan', 'native', 'gre']),
      vlanrange: maybe(ranges),
      vnirange: maybe(ranges),
    }),
  },
);
const lognet = fc.oneof(
  fc.record({ id: pick(NET), physicalnetwork: pick(PHY) }),
  fc.record({ id: pick(NET), physicalnetwork: pick(PHY), vlanid: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ id: pick(NET), physicalnetwork: pick(PHY), vni: fc.integer({ min: 1, max: 9 }) }),
);
const subnet = fc.record({
  id: pick(SUB),
  logicalnetwork: mostly('n1', NET),
  cidr: pick(['10.0.0.0/29', '10.0.0.0/30', '10.0.0.4/30', '10.0.1.0/30']),
  gateway: maybe(pick(IPS)),
});
const port = fc.record({
  id: pick(PORT),
  logicalnetwork: mostly('n1', NET),
  subnet: maybe(mostly('s1', SUB)),
  mac_address: maybe(pick(MACS)),
  ip_address: maybe(pick(IPS)),
});
const clean = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const batch = <T extends Record<string, unknown>>(a: fc.Arbitrary<T>) =>
  fc.array(a.map(clean), { minLength: 1, maxLength: 3 });

/** Creations weigh more, so that sequences build up state for the other calls to meet. */
const creates: fc.Arbitrary<Call> = fc.oneof(
  phynet.map((p) => ['createphysicalnetwork', clean(p)] as const),
  lognet.map((p) => ['createlogicalnetwork', clean(p)] as const),
  subnet.map((p) => ['createsubnet', clean(p)] as const),
  port.map((p) => ['createlogicalport', clean(p)] as const),
);

const others: fc.Arbitrary<Call> = fc.oneof(
  batch(phynet).map((networks) => ['createphysicalnetworks', { networks }] as const),
  fc
    .record({
      id: mostly('p1', PHY),
      vlanrange: maybe(fc.array(range, { minLength: 1, maxLength: 2 })),
      note: maybe(fc.nat(3)),
    })
    .map((p) => ['updatephysicalnetwork', clean(p)] as const),
  mostly('p1', PHY).map((id) => ['deletephysicalnetwork', { id }] as const),
  batch(lognet).map((networks) => ['createlogicalnetworks', { networks }] as const),
  fc
    .record({
      id: mostly('n1', NET),
      vlanid: maybe(fc.integer({ min: 1, max: 9 })),
      vni: maybe(fc.integer({ min: 1, max: 9 })),
    })
    .map((p) => ['updatelogicalnetwork', clean(p)] as const),
  batch(fc.record({ id: mostly('n1', NET), vlanid: maybe(fc.integer({ min: 1, max: 9 })) })).map(
    (networks) => ['updatelogicalnetworks', { networks }] as const,
  ),
  mostly('n1', NET).map((id) => ['deletelogicalnetwork', { id }] as const),
  batch(subnet).map((subnets) => ['createsubnets', { subnets }] as const),
  fc
    .record({
      id: mostly('s1', SUB),
      cidr: maybe(pick(['10.0.0.0/29', '10.0.0.0/30', '10.0.0.4/30'])),
      allocated_start: maybe(pick(IPS)),
      gateway: maybe(pick(IPS)),
    })
    .map((p) => ['updatesubnet', clean(p)] as const),
  mostly('s1', SUB).map((id) => ['deletesubnet', { id }] as const),
  batch(port).map((ports) => ['createlogicalports', { ports }] as const),
  batch(fc.record({ id: pick(PORT), ip_address: maybe(pick(IPS)), mac_address: maybe(pick(MACS)) })).map(
    (ports) => ['updatelogicalports', { ports }] as const,
  ),
  batch(fc.record({ id: pick(PORT) })).map((ports) => ['deletelogicalports', { ports }] as const),
  fc
    .record({ name: pick(ETH), physicalnetwork: mostly('p1', PHY) })
    .map((p) => ['createphysicalport', p] as const),
  pick(ETH).map((name) => ['deletephysicalport', { name }] as const),
);

const call: fc.Arbitrary<Call> = fc.oneof(
  { weight: 1, arbitrary: creates },
  { weight: 2, arbitrary: others },
);

/** Layered so that most runs build a hierarchy (networks, subnets, ports) before the mixed calls. */
const sequence: fc.Arbitrary<Call[]> = fc
  .tuple(
    // p1 and p2 always start valid (random ranges), so later layers have parents to meet.
    fc.tuple(
      ranges.map((vlanrange): Call => ['createphysicalnetwork', { id: 'p1', type: 'vlan', vlanrange }]),
      fc.oneof(
        ranges.map((vnirange): Call => ['createphysicalnetwork', { id: 'p2', type: 'vxlan', vnirange }]),
        fc.constant<Call>(['createphysicalnetwork', { id: 'p2', type: 'native' }]),
      ),
    ),
    fc.array(
      lognet.map((p) => ['createlogicalnetwork', clean(p)] as const),
      { maxLength: 3 },
    ),
    fc.array(
      subnet.map((p) => ['createsubnet', clean(p)] as const),
      { maxLength: 2 },
    ),
    fc.array(
      port.map((p) => ['createlogicalport', clean(p)] as const),
      { minLength: 1, maxLength: 5 },
    ),
    fc.array(call, { minLength: 5, maxLength: 20 }),
  )
  .map(([phys, nets, subnets, ports, mixed]): Call[] => [
    ...phys,
    ['createlogicalnetwork', { id: 'n1', physicalnetwork: 'p1' }],
    ...nets,
    ['createsubnet', { id: 's1', logicalnetwork: 'n1', cidr: '10.0.0.0/29', gateway: '10.0.0.1' }],
    ...subnets,
    ...ports,
    ...mixed,
  ]);

export function viperflowProperty(name: string, url: () => string, numRuns: number): void {
  describe(`viperflow property (${name})`, () => {
    let env: ViperflowEnv;
    beforeAll(async () => {
      env = await startViperflow(url());
    });
    afterAll(async () => {
      await env?.stop();
    });

    it('random call sequences keep the model consistent; refused calls change nothing', () =>
      assertCallSequences({
        runtime: env.runtime,
        sequence: sequence.map((calls) =>
          calls.map(([api, params]): ModuleCall => ['viperflow', api, params]),
        ),
        numRuns,
        // This store holds only the universe: wipe it for each run.
        reset: async () => {
          await env.db.transact(UNIVERSE, () => Object.fromEntries(UNIVERSE.map((k) => [k, null])));
        },
        contents: () => storeContents(env.db, UNIVERSE),
        invariants: brokenInvariants,
      }));
  });
}
