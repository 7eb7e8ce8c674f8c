/**
 * What the DHCP server hands one logical port, computed from its viperflow objects (port,
 * subnet, logical network) and the module's defaults. Precedence follows VLCP: module
 * defaults < logical network < subnet < logical port; at each level the level's
 * `extra_dhcp_options` override the options its own attributes give.
 */
import type { JsonObject, JsonValue } from '../../objectdb';
import {
  type ClasslessRoute,
  type DhcpOption,
  DhcpOptionCode,
  encodeClasslessRoutes,
  type Ipv4Address,
  ipv4FromNumber,
  ipv4ToNumber,
  isIpv4,
  isMac,
  type MacAddress,
  MS_CLASSLESS_STATIC_ROUTES,
  prefixToNetmask,
} from '../../openflow/packet';
import { extraDhcpOption, routeOf } from './extra-options';
import { encodedSize } from './option-size';

/** RFC 2131: an infinite lease. */
export const INFINITE_LEASE = 0xffffffff;

export interface LeaseDefaults {
  /** Seconds, or INFINITE_LEASE. */
  readonly leaseTime: number;
  /** The server identifier when the subnet has no gateway. */
  readonly serverAddress: Ipv4Address;
}

export interface DhcpLease {
  readonly logicalPortId: string;
  /** The logical network's number (flows' metadata and cookie). */
  readonly nwid: number;
  readonly mac: MacAddress;
  readonly address: Ipv4Address;
  /** Option 54, and the IPv4 source of replies. */
  readonly serverId: Ipv4Address;
  /** Seconds, or INFINITE_LEASE (then no renewal/rebinding times are sent). */
  readonly leaseTime: number;
  /** Every option but message type and server id, by code, in the order they were set. */
  readonly options: ReadonlyMap<number, DhcpOption>;
  /** Options that could not be encoded and were left out (to log). */
  readonly skipped: readonly string[];
}

/** The objects a lease is made of, as stored (references still `{"$ref": key}`). */
export interface LeaseSources {
  readonly port: JsonObject;
  readonly subnet: JsonObject | undefined;
  readonly network: JsonObject | undefined;
}

export type LeaseResult =
  | { readonly ok: true; readonly lease: DhcpLease }
  | { readonly ok: false; readonly reason: string };

function str(o: JsonObject | undefined, k: string): string | undefined {
  const v = o?.[k];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function addressList(o: JsonObject | undefined, k: string): Ipv4Address[] | undefined {
  const v = o?.[k];
  if (!Array.isArray(v)) return undefined;
  const list = v.filter((a): a is Ipv4Address => typeof a === 'string' && isIpv4(a));
  return list.length > 0 ? list : undefined;
}

function leaseTimeOf(o: JsonObject | undefined): number | undefined {
  const v = o?.lease_time;
  if (v === 'infinite') return INFINITE_LEASE;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= INFINITE_LEASE ? n : undefined;
}

function mtuOf(o: JsonObject | undefined): number | undefined {
  const v = o?.mtu;
  return typeof v === 'number' && Number.isInteger(v) && v >= 68 && v <= 0xffff ? v : undefined;
}

/** Sets the options one level's attributes give, then that level's extra options over them. */
function applyLevel(
  options: Map<number, DhcpOption>,
  skipped: string[],
  level: string,
  o: JsonObject | undefined,
  own: readonly DhcpOption[],
): void {
  const set = (opt: DhcpOption) => {
    const code = opt.kind === 'raw' ? opt.code : codeOf(opt);
    // One option carries at most 255 bytes (long options, RFC 3396, are not sent).
    if (encodedSize(opt) - 2 > 255) {
      skipped.push(`${level}: option ${code} is longer than 255 bytes`);
      return;
    }
    options.delete(code);
    options.set(code, opt);
  };
  const dns = addressList(o, 'dns_nameservers');
  if (dns) set({ kind: 'dnsServers', value: dns });
  const domain = str(o, 'domain_name');
  if (domain) set({ kind: 'domainName', value: domain });
  const ntp = addressList(o, 'ntp_servers');
  if (ntp) set({ kind: 'ntpServers', value: ntp });
  const mtu = mtuOf(o);
  if (mtu !== undefined) set({ kind: 'mtu', value: mtu });
  for (const opt of own) set(opt);
  const extra = o?.extra_dhcp_options;
  if (!Array.isArray(extra)) return;
  for (const pair of extra as readonly JsonValue[]) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number') {
      skipped.push(`${level}: extra_dhcp_options item ${JSON.stringify(pair)} is not a [code, value] pair`);
      continue;
    }
    try {
      set(extraDhcpOption(pair[0], pair[1] as JsonValue));
    } catch (e) {
      skipped.push(`${level}: ${(e as Error).message}`);
    }
  }
}

const CODE: Readonly<Record<Exclude<DhcpOption['kind'], 'raw'>, number>> = {
  messageType: DhcpOptionCode.MESSAGE_TYPE,
  serverId: DhcpOptionCode.SERVER_ID,
  requestedAddress: DhcpOptionCode.REQUESTED_ADDRESS,
  subnetMask: DhcpOptionCode.SUBNET_MASK,
  broadcastAddress: DhcpOptionCode.BROADCAST_ADDRESS,
  leaseTime: DhcpOptionCode.LEASE_TIME,
  renewalTime: DhcpOptionCode.RENEWAL_TIME,
  rebindingTime: DhcpOptionCode.REBINDING_TIME,
  mtu: DhcpOptionCode.MTU,
  routers: DhcpOptionCode.ROUTER,
  dnsServers: DhcpOptionCode.DNS_SERVERS,
  ntpServers: DhcpOptionCode.NTP_SERVERS,
  domainName: DhcpOptionCode.DOMAIN_NAME,
  hostname: DhcpOptionCode.HOSTNAME,
  parameterRequestList: DhcpOptionCode.PARAMETER_REQUEST_LIST,
  clientId: DhcpOptionCode.CLIENT_ID,
  classlessStaticRoutes: DhcpOptionCode.CLASSLESS_STATIC_ROUTES,
};

/** The wire code of an option. */
export function codeOf(o: DhcpOption): number {
  return o.kind === 'raw' ? o.code : CODE[o.kind];
}

/**
 * Host routes as classless routes. RFC 3442 makes clients ignore the router option when
 * option 121 is present, so a default route via the gateway is added unless one is listed.
 */
function routesOf(subnet: JsonObject, gateway: Ipv4Address | undefined): ClasslessRoute[] {
  const v = subnet.host_routes;
  if (!Array.isArray(v)) return [];
  const routes: ClasslessRoute[] = [];
  for (const r of v as readonly JsonValue[]) {
    const route = Array.isArray(r) ? routeOf(r[0], r[1]) : undefined;
    if (route) routes.push(route);
  }
  if (routes.length > 0 && gateway && !routes.some((r) => r.prefixLength === 0))
    routes.push({ destination: '0.0.0.0' as Ipv4Address, prefixLength: 0, router: gateway });
  return routes;
}

function refKey(o: JsonObject | undefined, k: string): string | undefined {
  const v = o?.[k];
  return v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    typeof (v as JsonObject).$ref === 'string'
    ? ((v as JsonObject).$ref as string)
    : undefined;
}

/**
 * Attributes of a subnet or network that no lease reads: the virtual router APIs set a
 * subnet's `router` when it is attached, which changes no DHCP answer (the default route
 * is the subnet's own `gateway`).
 */
const NOT_LEASE_INPUTS: ReadonlySet<string> = new Set(['router']);
const inputSignatures = new WeakMap<JsonObject, string>();

/**
 * What a lease reads of a subnet or network object, as one comparable string: two versions
 * with equal signatures give equal leases. Kept per object, so watches sharing one decoded
 * value compute it once.
 */
export function leaseInputSignature(o: JsonObject | undefined): string {
  if (o === undefined) return '';
  let sig = inputSignatures.get(o);
  if (sig === undefined) {
    sig = JSON.stringify(Object.entries(o).filter(([k]) => !NOT_LEASE_INPUTS.has(k)));
    inputSignatures.set(o, sig);
  }
  return sig;
}

/** The keys a port's lease reads besides the port itself. */
export function leaseRefs(port: JsonObject | undefined): { network?: string; subnet?: string } {
  return { network: refKey(port, 'network'), subnet: refKey(port, 'subnet') };
}

/** The lease of a logical port, or why it gets none. */
export function resolveLease(src: LeaseSources, defaults: LeaseDefaults): LeaseResult {
  const { port, subnet, network } = src;
  const id = str(port, 'id') ?? '?';
  const address = str(port, 'ip_address');
  const mac = str(port, 'mac_address')?.toLowerCase();
  if (address === undefined || !isIpv4(address))
    return { ok: false, reason: `logical port ${id} has no ip_address` };
  if (mac === undefined || !isMac(mac)) return { ok: false, reason: `logical port ${id} has no mac_address` };
  if (subnet === undefined) return { ok: false, reason: `logical port ${id}: its subnet is missing` };
  if (network === undefined)
    return { ok: false, reason: `logical port ${id}: its logical network is missing` };
  const nwid = network.nwid;
  if (typeof nwid !== 'number' || !Number.isSafeInteger(nwid) || nwid <= 0)
    return { ok: false, reason: `logical network of port ${id} has no nwid` };
  const cidr = str(subnet, 'cidr');
  const [net, len] = (cidr ?? '').split('/') as [string, string | undefined];
  const prefix = Number(len);
  if (!isIpv4(net) || !Number.isInteger(prefix) || prefix < 0 || prefix > 32)
    return { ok: false, reason: `subnet of port ${id} has no valid cidr (${JSON.stringify(cidr)})` };
  const mask = prefixToNetmask(prefix);
  const broadcast = ipv4FromNumber((ipv4ToNumber(net) | ~ipv4ToNumber(mask)) >>> 0);
  const gatewayText = str(subnet, 'gateway');
  const gateway = gatewayText !== undefined && isIpv4(gatewayText) ? gatewayText : undefined;

  const options = new Map<number, DhcpOption>();
  const skipped: string[] = [];
  applyLevel(options, skipped, 'logical network', network, []);
  const routes = routesOf(subnet, gateway);
  const subnetOwn: DhcpOption[] = [
    { kind: 'subnetMask', value: mask },
    { kind: 'broadcastAddress', value: broadcast },
    ...(gateway ? [{ kind: 'routers', value: [gateway] } as const] : []),
    ...(routes.length > 0
      ? [
          { kind: 'classlessStaticRoutes', value: routes } as const,
          { kind: 'raw', code: MS_CLASSLESS_STATIC_ROUTES, data: encodeClasslessRoutes(routes) } as const,
        ]
      : []),
  ];
  applyLevel(options, skipped, 'subnet', subnet, subnetOwn);
  const hostname = str(port, 'hostname');
  applyLevel(options, skipped, 'logical port', { extra_dhcp_options: port.extra_dhcp_options ?? null }, [
    ...(hostname ? [{ kind: 'hostname', value: hostname } as const] : []),
  ]);
  const leaseTime = leaseTimeOf(subnet) ?? leaseTimeOf(network) ?? defaults.leaseTime;
  return {
    ok: true,
    lease: {
      logicalPortId: id,
      nwid,
      mac: mac as MacAddress,
      address,
      serverId: gateway ?? defaults.serverAddress,
      leaseTime,
      options,
      skipped,
    },
  };
}
