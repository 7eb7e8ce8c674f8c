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

/** VLCP's lease_time_type: seconds, or "infinite". */
export const LeaseTime = Type.Union([Type.Integer({ minimum: 1 }), Type.Literal('infinite')], {
  description: 'DHCP lease time in seconds, or "infinite"',
});

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
export const Routes = Type.Array(Type.Tuple([Cidr, IpAddress]), {
  description: 'list of [cidr, next hop] pairs',
});
