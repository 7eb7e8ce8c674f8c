/**
 * The ARP responder's flows for one logical network, a pure function of the network: for
 * each owned IPv4 address, an ARP request for it (metadata = nwid) is turned into the reply
 * in the switch and sent back out of the port it came in on. Everything else in the table
 * (gratuitous ARP, unknown addresses, replies) falls through to the next table, where the
 * L2 module floods it within the network.
 */

import { bits, move } from '../../openflow/nicira';
import { buildMatch, ETH_TYPE } from '../../openflow/oxm';
import { ArpOp } from '../../openflow/packet/arp';
import type { Action } from '../../openflow/v13/action';
import { Port } from '../../openflow/v13/constants';
import { type Flow, type Flow13, flow13 } from '../flowsync';
import type { ArpNetwork, ArpOwner } from './arp-network';

/** Priorities inside the `arp` table. */
export const ARP_PRIORITY = {
  /** A request for an owned address: answered. */
  answer: 100,
  /** A logical port asking for its own address (gratuitous ARP, DAD probe): passed on. */
  ownAddress: 110,
  /** From a port that is not a logical port (physical, tunnel): passed on (arp-uplinks.ts). */
  uplink: 120,
} as const;

export class ArpNetworkError extends Error {
  override readonly name = 'ArpNetworkError';
  constructor(
    readonly nwid: number,
    detail: string,
  ) {
    super(`ARP responder, logical network nwid ${nwid}: ${detail}`);
  }
}

/** Cookie low bits of this network's flows: the nwid, so dump-flows names the network. */
export function arpCookie(nwid: number): bigint {
  return BigInt(nwid) & 0xffff_ffff_ffffn;
}

/**
 * The reply to an ARP request for `owner.ip`, built from the request in place (reg_move
 * copies the requester's addresses into the target fields, set_field writes the owner's).
 * OVS (3.1) reports moves in OpenFlow 1.3 with the NXM field headers, hence the NXM names
 * here: the flow read back from the switch equals the declared one (tested), so FlowSync
 * sees no difference after a reconnect.
 */
export function replyActions(owner: ArpOwner): Action[] {
  return [
    move(bits('nxm_of_eth_src'), bits('nxm_of_eth_dst')),
    { type: 'set_field', field: { field: 'eth_src', value: owner.mac } },
    { type: 'set_field', field: { field: 'arp_op', value: ArpOp.REPLY } },
    move(bits('nxm_nx_arp_sha'), bits('nxm_nx_arp_tha')),
    { type: 'set_field', field: { field: 'arp_sha', value: owner.mac } },
    move(bits('nxm_of_arp_spa'), bits('nxm_of_arp_tpa')),
    { type: 'set_field', field: { field: 'arp_spa', value: owner.ip } },
    { type: 'output', port: Port.IN_PORT, maxLen: 0 },
  ];
}

export interface ArpTables {
  /** The `arp` table's number. */
  readonly table: number;
}

/** The flows one owned address needs (its answer, and for a port its own-address pass). */
export function ownerFlows(nwid: number, owner: ArpOwner, tables: ArpTables): Flow<Flow13>[] {
  const cookie = arpCookie(nwid);
  const metadata = BigInt(nwid);
  const out = [
    flow13({
      table: tables.table,
      priority: ARP_PRIORITY.answer,
      match: buildMatch({ metadata, eth_type: ETH_TYPE.ARP, arp_op: ArpOp.REQUEST, arp_tpa: owner.ip }),
      instructions: [{ type: 'apply_actions', actions: replyActions(owner) }],
      cookie,
    }),
  ];
  if (owner.kind === 'port') {
    // Port security lets a port send ARP only with its own MAC as arp_sha: this catches
    // its gratuitous ARP and duplicate-address probes, which must not be answered.
    out.push(
      flow13({
        table: tables.table,
        priority: ARP_PRIORITY.ownAddress,
        match: buildMatch({
          metadata,
          eth_type: ETH_TYPE.ARP,
          arp_op: ArpOp.REQUEST,
          arp_tpa: owner.ip,
          arp_sha: owner.mac,
        }),
        instructions: [{ type: 'goto_table', tableId: tables.table + 1 }],
        cookie,
      }),
    );
  }
  return out;
}

/** What an owner's flows depend on besides the network: the cache key of ownerFlows. */
function ownerKey(o: ArpOwner): string {
  return `${o.kind}/${o.ip}/${o.mac}`;
}

/**
 * Every flow of one network in the `arp` table. Addresses owned twice are an error.
 * With `cache` (the owner flows of the network's previous compile, same nwid and tables),
 * only owners that are new or changed are compiled again, and `cache` is left holding
 * exactly this compile's owners: a one-port change builds two flows, not the network's.
 */
export function arpFlows(
  network: ArpNetwork,
  tables: ArpTables,
  cache?: Map<string, Flow<Flow13>[]>,
): Flow<Flow13>[] {
  const { nwid } = network;
  if (!Number.isSafeInteger(nwid) || nwid <= 0)
    throw new ArpNetworkError(nwid, 'nwid must be a positive integer');
  const seen = new Map<string, ArpOwner>();
  for (const owner of network.owners) {
    const before = seen.get(owner.ip);
    if (before !== undefined) {
      throw new ArpNetworkError(
        nwid,
        `${owner.ip} is owned twice (${before.kind} ${before.mac} and ${owner.kind} ${owner.mac})`,
      );
    }
    seen.set(owner.ip, owner);
  }
  const out: Flow<Flow13>[] = [];
  const next = new Map<string, Flow<Flow13>[]>();
  for (const owner of network.owners) {
    const key = ownerKey(owner);
    const flows = cache?.get(key) ?? ownerFlows(nwid, owner, tables);
    next.set(key, flows);
    for (const f of flows) out.push(f);
  }
  if (cache !== undefined) {
    cache.clear();
    for (const [k, v] of next) cache.set(k, v);
  }
  return out;
}
