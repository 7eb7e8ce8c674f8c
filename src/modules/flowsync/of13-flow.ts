/**
 * Flows for OpenFlow 1.3 switches as FlowSync handles them: what a compiler declares
 * (table, priority, match, instructions, cookie, timeouts), with the canonical strings
 * FlowSync compares. The same function turns a flow the switch reports (flow stats) into
 * a Flow, so a flow read back equals the flow that was sent.
 */
import { toJson } from '../../openflow/codec';
import { type Match, matchKey } from '../../openflow/oxm';
import type { Instruction } from '../../openflow/v13/instruction';
import type { FlowStats } from '../../openflow/v13/multipart/flow-stats';
import type { Flow } from './flow';

/** Cookies FlowSync owns carry this in their top 16 bits ("VL"); other flows are left alone. */
export const FLOWSYNC_COOKIE = 0x564c_0000_0000_0000n;
export const FLOWSYNC_COOKIE_MASK = 0xffff_0000_0000_0000n;

export interface Flow13 {
  readonly table: number;
  readonly priority: number;
  readonly match: Match;
  readonly instructions: readonly Instruction[];
  /** Low 48 bits: the owner's choice (FlowSync sets the top 16). */
  readonly cookie?: bigint;
  readonly idleTimeout?: number;
  readonly hardTimeout?: number;
}

export class FlowSpecError extends Error {
  override readonly name = 'FlowSpecError';
}

/** A flow a compiler declares, ready for DesiredFlows. */
export function flow13(spec: Flow13): Flow<Flow13> {
  const low = spec.cookie ?? 0n;
  if (low < 0n || low > 0xffff_ffff_ffffn) {
    throw new FlowSpecError(`cookie ${low} does not fit the 48 bits an owner may use`);
  }
  const value: Flow13 = { ...spec, cookie: FLOWSYNC_COOKIE | low };
  return {
    table: spec.table,
    priority: spec.priority,
    match: matchKey(spec.match),
    body: bodyKey(spec.instructions, spec.idleTimeout ?? 0, spec.hardTimeout ?? 0),
    cookie: value.cookie!,
    value,
  };
}

/** A flow the switch reports, in the same form. */
export function flowFromStats(s: FlowStats): Flow<Flow13> {
  return {
    table: s.tableId,
    priority: s.priority,
    match: matchKey(s.match),
    body: bodyKey(s.instructions, s.idleTimeout, s.hardTimeout),
    cookie: s.cookie,
    value: {
      table: s.tableId,
      priority: s.priority,
      match: s.match,
      instructions: s.instructions,
      cookie: s.cookie,
      idleTimeout: s.idleTimeout,
      hardTimeout: s.hardTimeout,
    },
  };
}

/**
 * The order OpenFlow 1.3 executes instructions in, whatever order they are listed in (5.9);
 * switches report them in this order, so the key sorts by it.
 */
const EXECUTION_ORDER: Readonly<Record<Instruction['type'], number>> = {
  meter: 0,
  apply_actions: 1,
  clear_actions: 2,
  write_actions: 3,
  write_metadata: 4,
  goto_table: 5,
  experimenter: 6,
};

function bodyKey(instructions: readonly Instruction[], idle: number, hard: number): string {
  const ordered = [...instructions].sort((a, b) => EXECUTION_ORDER[a.type] - EXECUTION_ORDER[b.type]);
  // The JSON form is canonical: fields in declaration order, 64-bit values and bytes as text.
  return `${idle}/${hard}/${JSON.stringify(toJson(ordered))}`;
}
