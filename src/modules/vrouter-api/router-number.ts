/**
 * Router numbers. Each virtual router gets `routerno`, a positive integer unique in the
 * cluster and never reused, from the counter `vrouterapi.virtualroutercounter` in the
 * transaction that creates the router (ObjectDB's version check on the counter keeps two
 * concurrent creates from taking the same number). L3 tags a router's packets with it between
 * l3input and l3router and names the router's cookies with it; being stored, it is the same
 * on every host and after a controller restart, so a restarted controller finds the router's
 * flows on the switch already right and sends nothing.
 */
import { type JsonValue, type Key, refTargets } from '../../objectdb';
import { ItemPath } from '../viperflow/item-path';
import type { StagedTx } from '../viperflow/staged-tx';
import { routerCounterKey, routerSetKey } from './keys';
import type { VirtualRouterObject } from './model';

/**
 * The largest router number. l3 carries the number in 32 bits: the low half of `metadata`
 * (under the router bit 63) and the low 32 bits of the cookie (compile-router.ts).
 */
export const MAX_ROUTER_NUMBER = 0xffff_ffff;

export const ROUTERNO_ASSIGNED =
  'is the router number the controller assigns (L3 flows carry it in metadata and cookies); it cannot be given';

export function isRouterNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_ROUTER_NUMBER;
}

/** The next free router number, taken in this transaction. */
export async function takeRouterNumber(st: StagedTx, path: ItemPath): Promise<number> {
  const counter = await st.edit<{ next: number }>(routerCounterKey(), () => ({ next: 1 }));
  const no = counter.next;
  if (typeof no === 'number' && no > MAX_ROUTER_NUMBER)
    throw path.error(
      'id',
      `no router numbers left (${MAX_ROUTER_NUMBER} virtual routers made; L3 carries the number in 32 bits)`,
      409,
    );
  if (!isRouterNumber(no))
    throw path.error(
      'id',
      `${routerCounterKey()} holds ${JSON.stringify(counter)}, not a router number`,
      409,
    );
  counter.next = no + 1;
  return no;
}

/**
 * Numbers every router stored without a number (made before router numbers existed; l3 does
 * not route those). Returns their ids, in router-set order.
 */
export async function numberUnnumberedRouters(st: StagedTx): Promise<string[]> {
  const keys = refTargets((await st.get<JsonValue>(routerSetKey())) ?? undefined) as Key[];
  await st.load([...keys, routerCounterKey()]);
  const numbered: string[] = [];
  for (const key of keys) {
    const cur = await st.get<VirtualRouterObject>(key);
    if (cur === null || isRouterNumber(cur.routerno)) continue;
    st.put(key, { ...cur, routerno: await takeRouterNumber(st, new ItemPath('')) });
    numbered.push(cur.id);
  }
  return numbered;
}
