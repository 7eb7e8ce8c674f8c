/**
 * A small OpenFlow 1.3 pipeline evaluator for the l2 unit tests: the highest-priority
 * matching flow of each table runs; apply_actions, write_metadata and goto_table as the
 * spec says; `output` to the packet's own in_port is dropped, as OVS does. Knows the
 * fields (masked IPv4 prefixes included) and actions the l2 compiler writes — enough to decide where a packet goes.
 */
import type { Flow, Flow13 } from '../../../../src/modules/flowsync';
import { flowsByTable, matchesFlow } from '../flow-tables';

export interface Packet {
  readonly in_port: number;
  readonly eth_src: string;
  readonly eth_dst: string;
  readonly eth_type: number;
  /** OFPVID_PRESENT | vid, or 0 when untagged. */
  readonly vlan_vid?: number;
  readonly ipv4_src?: string;
  readonly ipv4_dst?: string;
  readonly ip_proto?: number;
  readonly udp_src?: number;
  readonly udp_dst?: number;
  readonly arp_sha?: string;
  readonly arp_spa?: string;
  /** The VNI a packet from a tunnel port came with. */
  readonly tunnel_id?: bigint;
  /** The metadata a packet starts with (0): set it to start in a later table, as l3router hands over. */
  readonly metadata?: bigint;
}

/** Where the packet leaves: `port`, `port@vlan=VID` or `port@tun=DST/VNI`, sorted; empty when dropped. */
export function evaluate(flows: readonly Flow<Flow13>[], packet: Packet, firstTable = 0): string[] {
  const byTable = flowsByTable(flows);
  const state: Record<string, unknown> = {
    ...packet,
    vlan_vid: packet.vlan_vid ?? 0,
    metadata: packet.metadata ?? 0n,
  };
  const out: string[] = [];
  let table: number | undefined = firstTable;
  for (let hops = 0; table !== undefined && hops < 64; hops++) {
    const hit: Flow<Flow13> | undefined = (byTable.get(table) ?? []).find((f) => matchesFlow(f, state));
    table = undefined;
    if (hit === undefined) break;
    for (const ins of hit.value.instructions) {
      if (ins.type === 'apply_actions') {
        for (const a of ins.actions) {
          if (a.type === 'output') {
            if (a.port === state.in_port) continue;
            const vid = state.vlan_vid as number;
            if (state.tun_dst !== undefined) out.push(`${a.port}@tun=${state.tun_dst}/${state.tunnel_id}`);
            else out.push(vid === 0 ? `${a.port}` : `${a.port}@vlan=${vid & 0xfff}`);
          } else if (a.type === 'push_vlan') state.vlan_vid = 0x1000;
          else if (a.type === 'pop_vlan') state.vlan_vid = 0;
          else if (a.type === 'set_field' && a.field.field === 'vlan_vid') state.vlan_vid = a.field.value;
          else if (a.type === 'set_field' && a.field.field === 'tun_dst') state.tun_dst = a.field.value;
          else if (a.type === 'set_field' && a.field.field === 'tunnel_id') state.tunnel_id = a.field.value;
          else throw new Error(`evaluator: unknown action ${a.type}`);
        }
      } else if (ins.type === 'write_metadata') {
        const md = state.metadata as bigint;
        state.metadata = (md & ~ins.metadataMask) | (ins.metadata & ins.metadataMask);
      } else if (ins.type === 'goto_table') table = ins.tableId;
      else throw new Error(`evaluator: unknown instruction ${ins.type}`);
    }
  }
  return out.sort();
}
