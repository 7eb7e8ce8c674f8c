/**
 * Reads the routers' and viperflow's part of the store for tests (viperflow's reader, seeded
 * with the router set and every router map), and checks vrouterapi's invariants on it on top
 * of viperflow's: interfaces and subnets point at each other, no subnet is in two routers,
 * explicit addresses are held in the subnet map, a router's subnets do not overlap, and every
 * route's next hop lies in one of the router's subnets, router numbers are distinct and
 * below the counter's next, and a logical network's attached subnets are all on one router.
 */
import {
  idOfRouterKey,
  isRouterNumber,
  routerCounterKey,
  routerMapKey,
  routerSetKey,
} from '../../../../src/modules/vrouter-api';
import { isRef, type JsonValue, type ObjectDb } from '../../../../src/objectdb';
import { brokenInvariants, type Contents, storeContents } from '../viperflow/store-contents';

type Obj = Record<string, JsonValue>;

/** Everything of both modules, plus `extra` keys (a test's id universe). */
export async function routerContents(db: ObjectDb, extra: readonly string[] = []): Promise<Contents> {
  const { result: set } = await db.walk(async (tx) => (await tx.getMany([routerSetKey()]))[0] ?? null);
  const maps = ((set ?? []) as JsonValue[])
    .filter(isRef)
    .map((r) => routerMapKey(idOfRouterKey('virtualrouter', r.$ref) ?? ''));
  return storeContents(db, [routerSetKey(), routerCounterKey(), ...maps, ...extra]);
}

function ipNum(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [net, len] = cidr.split('/');
  const size = 2 ** (32 - Number(len));
  return Math.floor(ipNum(ip) / size) === Math.floor(ipNum(net!) / size);
}

export function routerInvariants(c: Contents): string[] {
  const bad = brokenInvariants(c);
  const get = (k: string | null) => (k === null ? null : ((c.get(k) ?? null) as Obj | null));
  const refKey = (v: JsonValue | undefined) => (isRef(v) ? v.$ref : null);
  const routers = [...c.keys()].filter((k) => k.startsWith('vrouterapi.virtualrouter.')).sort();
  const listed = ((c.get(routerSetKey()) ?? []) as JsonValue[]).map((r) => refKey(r) ?? '?').sort();
  if (JSON.stringify(listed) !== JSON.stringify(routers)) bad.push(`router set ${listed} != ${routers}`);
  const bySubnet = new Map<string, string>();
  const byNetwork = new Map<string, string>();
  const byNumber = new Map<unknown, string>();
  const next = (c.get(routerCounterKey()) as Obj | undefined)?.next;
  for (const rk of routers) {
    const router = get(rk)!;
    const no = router.routerno;
    if (!isRouterNumber(no) || typeof next !== 'number' || no >= next)
      bad.push(`${rk} routerno ${no} is not a number below the counter's next ${next}`);
    if (byNumber.has(no)) bad.push(`${rk} and ${byNumber.get(no)} share routerno ${no}`);
    byNumber.set(no, rk);
    const map = get(routerMapKey(String(router.id)));
    if (map === null) {
      bad.push(`${rk} has no map`);
      continue;
    }
    if (refKey(map.router) !== rk) bad.push(`${rk}'s map points elsewhere`);
    const mine: { cidr: string; address: string | null }[] = [];
    for (const r of map.interfaces as JsonValue[]) {
      const pk = refKey(r)!;
      const port = get(pk);
      if (port === null) {
        bad.push(`${rk} lists missing interface ${pk}`);
        continue;
      }
      if (refKey(port.router) !== rk)
        bad.push(`${pk} is listed by ${rk} but points at ${refKey(port.router)}`);
      const sk = refKey(port.subnet)!;
      const subnet = get(sk);
      if (subnet === null) {
        bad.push(`${pk}'s subnet ${sk} does not exist`);
        continue;
      }
      if (bySubnet.has(sk)) bad.push(`${sk} is in ${bySubnet.get(sk)} and ${rk}`);
      bySubnet.set(sk, rk);
      const nk = refKey(subnet.network) ?? '?';
      if ((byNetwork.get(nk) ?? rk) !== rk) bad.push(`${nk} has subnets on ${byNetwork.get(nk)} and ${rk}`);
      byNetwork.set(nk, rk);
      if (refKey(subnet.router) !== pk) bad.push(`${sk}.router is not ${pk}`);
      const ip = port.ip_address as string | undefined;
      if (ip !== undefined) {
        const smap = get(`viperflow.subnetmap.${String(sk).slice('viperflow.subnet.'.length)}`);
        if (refKey((smap?.allocated_ips as Obj | undefined)?.[ip]) !== pk) bad.push(`${pk} ${ip} not held`);
        if (!inCidr(ip, String(subnet.cidr))) bad.push(`${pk} ${ip} outside ${subnet.cidr}`);
        if (ip === subnet.gateway) bad.push(`${pk} holds the gateway`);
      } else if (subnet.gateway === undefined) bad.push(`${pk} has no address`);
      const cidr = String(subnet.cidr);
      for (const o of mine) {
        if (inCidr(o.cidr.split('/')[0]!, cidr) || inCidr(cidr.split('/')[0]!, o.cidr))
          bad.push(`${rk} has overlapping ${o.cidr} and ${cidr}`);
      }
      mine.push({ cidr, address: ip ?? (subnet.gateway as string | undefined) ?? null });
    }
    for (const [prefix, hop] of router.routes as [string, string][]) {
      const via = mine.filter((m) => inCidr(hop, m.cidr));
      if (via.length !== 1 || via[0]!.address === hop)
        bad.push(`${rk} route ${prefix} via ${hop} unreachable`);
    }
  }
  for (const [k, v] of c) {
    if (!k.startsWith('viperflow.subnet.') || v === null) continue;
    const pk = refKey((v as Obj).router);
    if (pk !== null && refKey(get(pk)?.subnet) !== k) bad.push(`${k}.router ${pk} is not its interface`);
  }
  return bad;
}
