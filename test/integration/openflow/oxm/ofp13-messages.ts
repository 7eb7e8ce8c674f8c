/**
 * Just enough OpenFlow 1.3 for the oracle tests: a flow-mod carrying a match and one
 * apply-actions instruction, declared with the codec framework, and ovs-ofctl helpers.
 */
import { execFileSync } from 'node:child_process';
import {
  constant,
  length,
  list,
  pad,
  struct,
  u8,
  u16,
  u32,
  u64,
  union,
} from '../../../../src/openflow/codec';
import { header } from '../../../../src/openflow/header';
import { nxAction } from '../../../../src/openflow/nicira';
import { ofpMatch, setFieldAction } from '../../../../src/openflow/oxm';

export const output = struct(
  'ofp_action_output',
  { type: constant(u16, 0), len: length(u16, { align: 8 }), port: u32, maxLen: u16, pad: pad(6) },
  { tag: 'output' },
);

export const action13 = union('ofp_action', [output, setFieldAction, nxAction], { at: 0, width: 2 });

export const applyActions = struct(
  'ofp_instruction_actions',
  { type: constant(u16, 4), len: length(u16), pad: pad(4), actions: list(action13) },
  { tag: 'apply_actions' },
);

export const flowMod13 = struct(
  'ofp_flow_mod',
  {
    ...header(4, 14),
    cookie: u64,
    cookieMask: u64,
    tableId: u8,
    command: u8,
    idleTimeout: u16,
    hardTimeout: u16,
    priority: u16,
    bufferId: u32,
    outPort: u32,
    outGroup: u32,
    flags: u16,
    pad: pad(2),
    match: ofpMatch,
    instructions: list(applyActions),
  },
  { tag: 'flow_mod' },
);

/** Runs `ovs-ofctl ofp-print` on many hex messages at once (one process per call is slow). */
export function ofpPrint(hexes: readonly string[]): string[] {
  return hexes.map((h) => execFileSync('ovs-ofctl', ['ofp-print', h], { encoding: 'utf8' }).trim());
}

/** An OpenFlow 1.0 flow-mod (match all wildcarded) for the Nicira actions OVS takes only in 1.0. */
export const flowMod10 = struct(
  'ofp10_flow_mod',
  {
    ...header(1, 14),
    wildcards: constant(u32, 0x3fffff),
    matchRest: pad(36),
    cookie: u64,
    command: u16,
    idleTimeout: u16,
    hardTimeout: u16,
    priority: u16,
    bufferId: u32,
    outPort: u16,
    flags: u16,
    actions: list(union('ofp10_action', [nxAction], { at: 0, width: 2 })),
  },
  { tag: 'flow_mod10' },
);
