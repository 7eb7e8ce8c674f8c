/**
 * The subnets a router is attached to, as the transaction sees them (its own edits
 * included): each interface with its subnet, the subnet's CIDR and the router's address on
 * it. Route next hops and overlap checks are decided against this.
 */
import type { Key } from '../../objectdb';
import type { SubnetObject } from '../viperflow/model';
import type { StagedTx } from '../viperflow/staged-tx';
import { type Cidr, contains, parseAddress, parseCidr } from '../viperflow/subnet';
import { routerMapKeyOf } from './keys';
import type { RouterPortObject, VirtualRouterMapObject } from './model';

export interface Attached {
  readonly port: Key;
  readonly interface: RouterPortObject;
  readonly subnetKey: Key;
  /** null if the subnet is gone (deleted behind the router's back). */
  readonly subnet: SubnetObject | null;
  readonly cidr: Cidr | null;
  /** The router's address on the subnet: its ip_address, or the subnet's gateway. */
  readonly address: number | null;
}

export async function attachedSubnets(st: StagedTx, router: Key): Promise<Attached[]> {
  const map = await st.get<VirtualRouterMapObject>(routerMapKeyOf(router));
  const ports = (map?.interfaces ?? []).map((r) => r.$ref as Key);
  await st.load(ports);
  const found: { port: Key; obj: RouterPortObject }[] = [];
  for (const port of ports) {
    const obj = await st.get<RouterPortObject>(port);
    if (obj !== null) found.push({ port, obj });
  }
  await st.load(found.map((f) => f.obj.subnet.$ref as Key));
  const out: Attached[] = [];
  for (const { port, obj } of found) {
    const subnetKey = obj.subnet.$ref as Key;
    const subnet = await st.get<SubnetObject>(subnetKey);
    const cidr = subnet === null ? null : parseCidr(subnet.cidr, 'cidr', false);
    const ip = obj.ip_address ?? subnet?.gateway;
    out.push({
      port,
      interface: obj,
      subnetKey,
      subnet,
      cidr,
      address: ip === undefined ? null : parseAddress(ip, 'ip_address'),
    });
  }
  return out;
}

/** The attached subnet whose CIDR holds `addr`, if any. */
export function subnetHolding(attached: readonly Attached[], addr: number): Attached | undefined {
  return attached.find((a) => a.cidr !== null && contains(a.cidr, addr));
}
