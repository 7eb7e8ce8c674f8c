/**
 * One virtual router as the L3 compiler sees it: its interfaces (attached subnets with their
 * network's nwid and the router's address there), the logical ports it can route to
 * (addresses inside an attached subnet of their own network, and single addresses of their
 * allowed address pairs) and its static routes. Read
 * out of a `watchVirtualRouter` view; objects that are missing (not written yet, or being
 * deleted) or malformed are left out: viperflow and vrouterapi validated what they stored.
 */
import { asObject, isRef, type JsonValue, type Key, refTargets } from '../../objectdb';
import { type Ipv4Address, ipv4ToNumber, isIpv4 } from '../../openflow/packet/ipv4-address';
import { isMac, type MacAddress } from '../../openflow/packet/mac-address';
import { idOfKey, mapKey, readAddressPairs } from '../viperflow';
import { isRouterNumber, routerKey, routerMapKey } from '../vrouter-api';

/** An IPv4 prefix as numbers. */
export interface Prefix {
  readonly network: number;
  readonly length: number;
}

export interface RouterInterface {
  readonly subnetId: string;
  readonly nwid: number;
  readonly cidr: Prefix;
  /** The router's address on the subnet (the interface's ip_address, else the gateway). */
  readonly address: Ipv4Address;
}

export interface RoutedPort {
  readonly ip: Ipv4Address;
  readonly mac: MacAddress;
  readonly nwid: number;
}

export interface StaticRoute {
  readonly prefix: Prefix;
  readonly nexthop: Ipv4Address;
}

export interface RouterView {
  readonly id: string;
  readonly interfaces: readonly RouterInterface[];
  /** Every logical port with an address inside an attached subnet of its network. */
  readonly ports: readonly RoutedPort[];
  readonly routes: readonly StaticRoute[];
  /**
   * Addresses ports hold that cannot be routed to: single-address allowed pairs claimed with
   * different MACs. Dropped silently (the hosts exist: no "unreachable" for them).
   */
  readonly unroutable: readonly Ipv4Address[];
  /** Ids of every logical port of the attached networks (where the router is relevant). */
  readonly logicalPorts: readonly string[];
}

export function prefixMask(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

export function inPrefix(p: Prefix, ip: Ipv4Address): boolean {
  return (ipv4ToNumber(ip) & prefixMask(p.length)) >>> 0 === p.network;
}

/** "10.0.0.0/24" (host bits cleared) or undefined when malformed. */
export function parsePrefix(text: string): Prefix | undefined {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(text);
  if (!m || !isIpv4(m[1]!)) return undefined;
  const length = Number(m[2]);
  if (length > 32) return undefined;
  return { network: (ipv4ToNumber(m[1]! as Ipv4Address) & prefixMask(length)) >>> 0, length };
}

/** The router seen in `values` (a watch snapshot), or undefined while its map is missing. */
export function routerFromView(
  values: ReadonlyMap<Key, JsonValue | null>,
  routerId: string,
): RouterView | undefined {
  const get = (key: string) => asObject(values.get(key as Key));
  const map = get(routerMapKey(routerId));
  if (map === undefined) return undefined;
  const routerRef = map.router;
  const router = isRef(routerRef) ? get(routerRef.$ref) : undefined;
  const interfaces: RouterInterface[] = [];
  const networks = new Map<string, number>();
  for (const key of refTargets(map.interfaces)) {
    const rp = get(key);
    const subnetRef = rp?.subnet;
    const subnet = isRef(subnetRef) ? get(subnetRef.$ref) : undefined;
    const netRef = subnet?.network;
    const network = isRef(netRef) ? get(netRef.$ref) : undefined;
    const nwid = network?.nwid;
    const cidr = typeof subnet?.cidr === 'string' ? parsePrefix(subnet.cidr) : undefined;
    const explicit = rp?.ip_address;
    const address = typeof explicit === 'string' ? explicit : subnet?.gateway;
    if (
      typeof nwid !== 'number' ||
      cidr === undefined ||
      typeof address !== 'string' ||
      !isIpv4(address) ||
      !isRef(subnetRef) ||
      !isRef(netRef)
    )
      continue;
    const networkId = idOfKey('logicalnetwork', netRef.$ref);
    if (networkId !== null) networks.set(networkId, nwid);
    interfaces.push({ subnetId: subnetRef.$ref, nwid, cidr, address });
  }
  const ports: RoutedPort[] = [];
  const logicalPorts: string[] = [];
  // Each network's attached prefixes: every port of the router's networks is checked (a
  // thousand ports against fifty interfaces on each router change).
  const prefixesOf = new Map<number, Prefix[]>();
  for (const i of interfaces) {
    const list = prefixesOf.get(i.nwid);
    if (list === undefined) prefixesOf.set(i.nwid, [i.cidr]);
    else list.push(i.cidr);
  }
  const attached = (nwid: number, ip: Ipv4Address) => {
    const prefixes = prefixesOf.get(nwid);
    if (prefixes === undefined) return false;
    const n = ipv4ToNumber(ip);
    return prefixes.some((p) => (n & prefixMask(p.length)) >>> 0 === p.network);
  };
  // Single addresses (/32) of allowed address pairs (a VRRP address): reachable at the pair's
  // MAC while no port owns the address and all its claimers agree on one MAC.
  const pairClaims = new Map<Ipv4Address, { readonly mac: MacAddress; readonly nwid: number } | null>();
  for (const [networkId, nwid] of networks) {
    for (const key of refTargets(get(mapKey('logicalnetwork', networkId))?.ports)) {
      const id = idOfKey('logicalport', key);
      if (id !== null) logicalPorts.push(id);
      const port = get(key);
      const ip = port?.ip_address;
      const raw = port?.mac_address;
      const mac = typeof raw === 'string' ? raw.toLowerCase() : undefined;
      if (mac === undefined || !isMac(mac)) continue;
      if (typeof ip === 'string' && isIpv4(ip) && attached(nwid, ip)) ports.push({ ip, mac, nwid });
      for (const pair of readAddressPairs(port?.allowed_address_pairs) ?? []) {
        if (pair.length !== 32 || !attached(nwid, pair.prefix)) continue;
        const claim = { mac: pair.mac ?? mac, nwid };
        const seen = pairClaims.get(pair.prefix);
        if (seen === undefined) pairClaims.set(pair.prefix, claim);
        else if (seen !== null && (seen.mac !== claim.mac || seen.nwid !== nwid))
          pairClaims.set(pair.prefix, null);
      }
    }
  }
  const owned = new Set<string>(ports.map((p) => p.ip));
  const unroutable: Ipv4Address[] = [];
  for (const [ip, claim] of pairClaims) {
    if (owned.has(ip)) continue;
    if (claim === null) unroutable.push(ip);
    else ports.push({ ip, mac: claim.mac, nwid: claim.nwid });
  }
  const routes: StaticRoute[] = [];
  const rawRoutes = router?.routes;
  if (Array.isArray(rawRoutes)) {
    for (const r of rawRoutes) {
      if (!Array.isArray(r) || typeof r[0] !== 'string' || typeof r[1] !== 'string') continue;
      const prefix = parsePrefix(r[0].includes('/') ? r[0] : `${r[0]}/32`);
      if (prefix !== undefined && isIpv4(r[1])) routes.push({ prefix, nexthop: r[1] });
    }
  }
  return { id: routerId, interfaces, ports, routes, unroutable, logicalPorts };
}

/**
 * The router's stored number (`routerno`, assigned by vrouterapi), or undefined while the
 * router object is missing or has none (stored before router numbers existed).
 */
export function routerNumberFromView(
  values: ReadonlyMap<Key, JsonValue | null>,
  routerId: string,
): number | undefined {
  const no = asObject(values.get(routerKey(routerId)))?.routerno;
  return isRouterNumber(no) ? no : undefined;
}
