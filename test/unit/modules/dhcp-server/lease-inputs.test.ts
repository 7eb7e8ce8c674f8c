/**
 * The signature dhcpserver compares to skip recomputing leases: attaching (or detaching) a
 * router changes neither the signature nor any lease; a change to anything a lease reads
 * changes the signature.
 */
import fc from 'fast-check';
import { leaseInputSignature, resolveLease } from '../../../../src/modules/dhcp-server/lease';
import type { JsonObject, JsonValue } from '../../../../src/objectdb';
import { parseIpv4Address } from '../../../../src/openflow/packet';

const DEFAULTS = { leaseTime: 3600, serverAddress: parseIpv4Address('169.254.169.254') };
const port: JsonObject = {
  id: 'p1',
  network: { $ref: 'viperflow.logicalnetwork.n1' },
  subnet: { $ref: 'viperflow.subnet.s1' },
  mac_address: '02:00:00:00:00:01',
  ip_address: '10.1.0.5',
};
const address = fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => `10.1.${a}.${b}`);
/** Subnet and network attributes a lease reads, with values valid or not. */
const leaseFields = fc.record(
  {
    cidr: fc.constantFrom('10.1.0.0/16', '10.1.0.0/24', 'bad'),
    gateway: address,
    dns_nameservers: fc.array(address, { maxLength: 3 }),
    domain_name: fc.string({ maxLength: 10 }),
    mtu: fc.integer({ min: 0, max: 9000 }),
    lease_time: fc.oneof(fc.integer({ min: 1, max: 100000 }), fc.constant('infinite')),
    host_routes: fc.array(fc.tuple(fc.constantFrom('192.168.0.0/16', '0.0.0.0/0'), address), {
      maxLength: 2,
    }),
    extra_dhcp_options: fc.array(fc.tuple(fc.constantFrom(15, 26, 42, 119), fc.string({ maxLength: 6 })), {
      maxLength: 2,
    }),
    nwid: fc.integer({ min: 1, max: 4000 }),
  },
  { requiredKeys: ['cidr'] },
) as fc.Arbitrary<JsonObject>;
const router = fc.option(
  fc.string({ minLength: 1, maxLength: 8 }).map((id): JsonValue => ({ $ref: `vrouterapi.routerport.${id}` })),
  { nil: undefined },
);
const withRouter = (o: JsonObject, r: JsonValue | undefined): JsonObject => {
  const { router: _, ...rest } = o;
  return r === undefined ? rest : { ...rest, router: r };
};

test('property: a subnet gaining, changing or losing its router gives the same signature and lease', () => {
  fc.assert(
    fc.property(leaseFields, leaseFields, router, router, (subnet, network, r1, r2) => {
      const s1 = withRouter(subnet, r1);
      const s2 = withRouter(subnet, r2);
      expect(leaseInputSignature(s1)).toBe(leaseInputSignature(s2));
      const net = { nwid: 7, ...network };
      expect(resolveLease({ port, subnet: s2, network: net }, DEFAULTS)).toEqual(
        resolveLease({ port, subnet: s1, network: net }, DEFAULTS),
      );
    }),
  );
});

test('property: changing any attribute a lease reads changes the signature', () => {
  fc.assert(
    fc.property(leaseFields, leaseFields, (a, b) => {
      // Same attribute order, different values (or attributes).
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
      const order = (o: JsonObject): JsonObject =>
        Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]!]));
      fc.pre(JSON.stringify(order(a)) !== JSON.stringify(order(b)));
      expect(leaseInputSignature(order(a))).not.toBe(leaseInputSignature(order(b)));
    }),
  );
});

test('an absent object has the empty signature, a present one never does', () => {
  expect(leaseInputSignature(undefined)).toBe('');
  expect(leaseInputSignature({})).not.toBe('');
});
