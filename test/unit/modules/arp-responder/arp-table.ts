/**
 * A one-table OpenFlow evaluator for ARP packets, enough to run the ARP responder's flows:
 * exact (and masked) matches on the fields ARP flows use, highest priority wins, apply
 * actions set_field / nx_reg_move (whole fields) / output, and goto_table. The frame goes
 * in and out as bytes, built and parsed with src/openflow/packet.
 */
import type { Flow, Flow13 } from '../../../../src/modules/flowsync';
import type { OxmField } from '../../../../src/openflow/oxm';
import { buildArp, parseArp } from '../../../../src/openflow/packet/arp';
import { buildEthernet, EtherType, parseEthernet } from '../../../../src/openflow/packet/ethernet';
import { type Ipv4Address, ipv4FromNumber, ipv4ToNumber } from '../../../../src/openflow/packet/ipv4-address';
import type { MacAddress } from '../../../../src/openflow/packet/mac-address';
import { Port } from '../../../../src/openflow/v13/constants';

/** The fields of an ARP packet in the pipeline, by OXM name. */
interface ArpState {
  in_port: number;
  metadata: bigint;
  eth_dst: MacAddress;
  eth_src: MacAddress;
  eth_type: number;
  arp_op: number;
  arp_spa: Ipv4Address;
  arp_tpa: Ipv4Address;
  arp_sha: MacAddress;
  arp_tha: MacAddress;
}

export type Outcome =
  | { readonly kind: 'output'; readonly port: number; readonly frame: Buffer }
  | { readonly kind: 'goto'; readonly table: number }
  | { readonly kind: 'miss' }
  | { readonly kind: 'drop' };

function stateOf(frame: Buffer, inPort: number, metadata: bigint): ArpState {
  const eth = parseEthernet(frame);
  const arp = parseArp(eth.payload);
  return {
    in_port: inPort,
    metadata,
    eth_dst: eth.dst,
    eth_src: eth.src,
    eth_type: eth.ethertype,
    arp_op: arp.op,
    arp_spa: arp.senderIp,
    arp_tpa: arp.targetIp,
    arp_sha: arp.senderMac,
    arp_tha: arp.targetMac,
  };
}

function frameOf(s: ArpState): Buffer {
  return buildEthernet({
    dst: s.eth_dst,
    src: s.eth_src,
    ethertype: EtherType.ARP,
    payload: buildArp({
      op: s.arp_op,
      senderMac: s.arp_sha,
      senderIp: s.arp_spa,
      targetMac: s.arp_tha,
      targetIp: s.arp_tpa,
    }),
  });
}

function asBigint(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  if (typeof v === 'string' && v.includes('.')) return BigInt(ipv4ToNumber(v as Ipv4Address));
  if (typeof v === 'string') return BigInt(`0x${v.replaceAll(':', '')}`);
  throw new Error(`cannot compare ${String(v)}`);
}

function fieldMatches(s: ArpState, f: OxmField): boolean {
  if (f.field === 'raw' || !(f.field in s)) throw new Error(`the evaluator does not know field ${f.field}`);
  const have = asBigint(s[f.field as keyof ArpState]);
  const mask = f.mask === undefined ? -1n : asBigint(f.mask);
  return (have & mask) === (asBigint(f.value) & mask);
}

/** NXM names of the fields, as reg_move refers to them. */
const NXM_NAMES: Readonly<Record<string, keyof ArpState>> = {
  nxm_of_eth_src: 'eth_src',
  nxm_of_eth_dst: 'eth_dst',
  nxm_of_arp_spa: 'arp_spa',
  nxm_of_arp_tpa: 'arp_tpa',
  nxm_nx_arp_sha: 'arp_sha',
  nxm_nx_arp_tha: 'arp_tha',
};

function setField(s: ArpState, name: string, v: unknown): void {
  if (!(name in s)) throw new Error(`the evaluator cannot set ${name}`);
  (s as unknown as Record<string, unknown>)[name] = v;
}

/** Runs the packet through the flows of `table`. */
export function runTable(
  flows: readonly Flow<Flow13>[],
  table: number,
  packet: { readonly frame: Buffer; readonly inPort: number; readonly metadata: bigint },
): Outcome {
  const s = stateOf(packet.frame, packet.inPort, packet.metadata);
  const candidates = flows
    .filter((f) => f.table === table && f.value.match.fields.every((m) => fieldMatches(s, m)))
    .sort((a, b) => b.priority - a.priority);
  const best = candidates[0];
  if (best === undefined) return { kind: 'miss' };
  if (candidates[1] !== undefined && candidates[1].priority === best.priority)
    throw new Error(`two flows of priority ${best.priority} match: the table is ambiguous`);
  let out: Outcome = { kind: 'drop' };
  for (const ins of best.value.instructions) {
    if (ins.type === 'apply_actions') {
      for (const a of ins.actions) {
        if (a.type === 'set_field') setField(s, a.field.field, a.field.value);
        else if (a.type === 'nx_reg_move') {
          if (
            typeof a.src.field !== 'string' ||
            typeof a.dst.field !== 'string' ||
            a.src.ofs !== 0 ||
            a.dst.ofs !== 0
          )
            throw new Error('the evaluator moves whole named fields only');
          const src = NXM_NAMES[a.src.field] ?? (a.src.field as keyof ArpState);
          setField(s, NXM_NAMES[a.dst.field] ?? a.dst.field, s[src]);
        } else if (a.type === 'output') {
          out = { kind: 'output', port: a.port === Port.IN_PORT ? s.in_port : a.port, frame: frameOf(s) };
        } else throw new Error(`the evaluator does not know action ${a.type}`);
      }
    } else if (ins.type === 'goto_table') out = { kind: 'goto', table: ins.tableId };
    else throw new Error(`the evaluator does not know instruction ${ins.type}`);
  }
  return out;
}

/** An ARP request frame as a host sends it (broadcast, target MAC zero). */
export function arpRequest(from: { mac: MacAddress; ip: Ipv4Address }, target: Ipv4Address): Buffer {
  return frameOf({
    in_port: 0,
    metadata: 0n,
    eth_dst: 'ff:ff:ff:ff:ff:ff' as MacAddress,
    eth_src: from.mac,
    eth_type: EtherType.ARP,
    arp_op: 1,
    arp_spa: from.ip,
    arp_tpa: target,
    arp_sha: from.mac,
    arp_tha: '00:00:00:00:00:00' as MacAddress,
  });
}

export { ipv4FromNumber };
