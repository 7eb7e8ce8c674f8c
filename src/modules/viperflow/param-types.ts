/**
 * The parameter types of VLCP's viperflow and vrouterapi APIs, as JSON schemas (TypeBox),
 * so that calls written for VLCP validate unchanged. Checks a schema cannot express (CIDR
 * host bits, range overlaps) happen in the handlers (`subnet.ts`, `id-ranges.ts`).
 */
import { Type } from '@sinclair/typebox';

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}`;

/** VLCP's ip_address_type. */
export const IpAddress = Type.String({ pattern: `^${IPV4}$`, description: 'IPv4 address' });

/** VLCP's cidr_type / cidr_nonstrict_type (strictness is checked by the handler). */
export const Cidr = Type.String({
  pattern: `^${IPV4}/([0-9]|[12][0-9]|3[0-2])$`,
  description: 'IPv4 CIDR, e.g. 10.0.0.0/24',
});

/** VLCP's cidr_nonstrict_type: a CIDR, or a bare address meaning /32 (routes). */
export const CidrNonStrict = Type.String({
  pattern: `^${IPV4}(/([0-9]|[12][0-9]|3[0-2]))?$`,
  description: 'IPv4 CIDR or address, e.g. 10.0.0.0/24 or 10.0.0.1',
});

/** VLCP's mac_address_type. */
export const MacAddress = Type.String({
  pattern: '^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$',
  description: 'MAC address, e.g. 02:00:00:00:00:01',
});

/** VLCP's autoint: a whole number, or a string of one (form and query calls). */
export const AutoInt = Type.Union([Type.Integer(), Type.String({ pattern: '^-?\\d+$' })], {
  description: 'whole number (or its decimal string)',
});

/** A list of [start, end] pairs, both ends included. */
export const IdRanges = Type.Array(Type.Tuple([Type.Integer(), Type.Integer()]), {
  description: 'list of [start, end] pairs, both ends included',
});

/** VLCP's lease_time_type: seconds (a number or its decimal string), "infinite", or null. */
export const LeaseTime = Type.Union(
  [
    Type.Integer({ minimum: 1 }),
    Type.String({ pattern: '^[1-9]\\d*$' }),
    Type.Literal('infinite'),
    Type.Null(),
  ],
  { description: 'DHCP lease time in seconds, or "infinite"' },
);

/** VLCP's dhcp_options_type: [code, value] pairs. */
export const DhcpOptions = Type.Array(
  Type.Tuple([Type.Integer({ minimum: 1, maximum: 254 }), Type.Unknown()]),
  {
    description: 'extra DHCP options as [code, value] pairs',
  },
);

export const OptionalString = Type.Union([Type.String(), Type.Null()]);
export const IpAddressList = Type.Union([Type.Array(IpAddress), Type.Null()]);

/** (prefix, next hop) pairs: host routes of a subnet, static routes of a router. */
export const Routes = Type.Array(Type.Tuple([CidrNonStrict, IpAddress]), {
  description: 'list of [cidr, next hop] pairs',
});

/** Per-host settings of a subnet (VLCP's pre_host_config items). */
export const PreHostConfig = Type.Array(
  Type.Object({
    systemid: Type.Optional(Type.String()),
    bridge: Type.Optional(Type.String()),
    vhost: Type.Optional(Type.String()),
    cidr: Type.Optional(Cidr),
    local_address: Type.Optional(IpAddress),
    gateway: Type.Optional(IpAddress),
  }),
  { description: 'per-host settings: [{systemid, bridge, vhost, cidr, local_address, gateway}]' },
);

/**
 * OpenStack's allowed address pairs. Deliberately unconstrained here: the handler
 * (`address-pairs.ts`) checks it, so an error can name the port and the entry.
 */
export const AllowedAddressPairs = Type.Unknown({
  description:
    'list of {ip_address: "A.B.C.D" or "A.B.C.D/N", mac_address?} the port may also send from (its own MAC when absent); null or [] clears',
});
