/**
 * A small OpenFlow 1.3 evaluator for the l3 unit tests: runs a packet from `l3input` with
 * the pipeline's miss (`goto_table:next`) in l3input and l3router, and stops at `l2output`,
 * reporting the packet as l2output would see it — or where it went instead (out of a port,
 * to the controller, dropped). Knows the fields and actions the l3 compiler writes.
 */
import type { Flow, Flow13 } from '../../../../src/modules/flowsync';
import type { L3Tables } from '../../../../src/modules/l3';
import { flowsByTable, matchesFlow } from '../flow-tables';

export interface L3Packet {
  readonly in_port: number;
  readonly metadata: bigint;
  readonly eth_src: string;
  readonly eth_dst: string;
  readonly eth_type: number;
  readonly ipv4_src?: string;
  readonly ipv4_dst?: string;
  readonly ip_proto?: number;
  readonly icmpv4_type?: number;
  readonly nw_ttl?: number;
}

export type L3Result =
  | { readonly kind: 'l2output'; readonly packet: L3Packet }
  | { readonly kind: 'output'; readonly port: number; readonly packet: L3Packet }
  | { readonly kind: 'controller'; readonly packet: L3Packet }
  | { readonly kind: 'drop'; readonly table: number };

const NXM_NAMES: Readonly<Record<string, string>> = {
  nxm_of_eth_src: 'eth_src',
  nxm_of_eth_dst: 'eth_dst',
  nxm_of_ip_src: 'ipv4_src',
  nxm_of_ip_dst: 'ipv4_dst',
};

export function evaluateL3(flows: readonly Flow<Flow13>[], tables: L3Tables, packet: L3Packet): L3Result {
  const byTable = flowsByTable(flows);
  const state: Record<string, unknown> = { ...packet };
  let table = tables.l3input;
  for (let hops = 0; hops < 8; hops++) {
    if (table === tables.l2output) return { kind: 'l2output', packet: state as unknown as L3Packet };
    const list = byTable.get(table) ?? [];
    const hits = list.filter((f) => matchesFlow(f, state));
    if (hits.length > 1 && hits[0]!.priority === hits[1]!.priority)
      throw new Error(`evaluator: two flows of priority ${hits[0]!.priority} match in table ${table}`);
    const hit = hits[0];
    if (hit === undefined) {
      // The pipeline module's miss flow in l3input and l3router.
      table += 1;
      continue;
    }
    let next: number | undefined;
    for (const ins of hit.value.instructions) {
      if (ins.type === 'apply_actions') {
        for (const a of ins.actions) {
          if (a.type === 'output') {
            if (a.port === 0xfffffffd) return { kind: 'controller', packet: state as unknown as L3Packet };
            if (a.port === 0xfffffff8)
              return { kind: 'output', port: state.in_port as number, packet: state as unknown as L3Packet };
            throw new Error(`evaluator: output to ${a.port}`);
          }
          if (a.type === 'set_field') state[a.field.field] = a.field.value;
          else if (a.type === 'dec_nw_ttl') state.nw_ttl = (state.nw_ttl as number) - 1;
          else if (a.type === 'set_nw_ttl') state.nw_ttl = a.nwTtl;
          else if (a.type === 'nx_reg_move') {
            const src = NXM_NAMES[a.src.field as string];
            const dst = NXM_NAMES[a.dst.field as string];
            if (src === undefined || dst === undefined) throw new Error('evaluator: unknown move');
            state[dst] = state[src];
          } else throw new Error(`evaluator: unknown action ${a.type}`);
        }
      } else if (ins.type === 'write_metadata') {
        const md = state.metadata as bigint;
        state.metadata = (md & ~ins.metadataMask) | (ins.metadata & ins.metadataMask);
      } else if (ins.type === 'goto_table') next = ins.tableId;
      else throw new Error(`evaluator: unknown instruction ${ins.type}`);
    }
    if (next === undefined) return { kind: 'drop', table };
    table = next;
  }
  throw new Error('evaluator: loop');
}
