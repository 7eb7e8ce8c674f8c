/**
 * OpenFlow 1.3 instructions (ofp_instruction_*), as the `ofpInstruction` union on the type at
 * byte 0. Experimenter instructions keep their body as raw bytes.
 */
import {
  constant,
  length,
  list,
  pad,
  restBytes,
  struct,
  u8,
  u16,
  u32,
  u64,
  union,
  type ValueOf,
} from '../codec';
import { actionList } from './action';

export const instructionGotoTable = struct(
  'ofp_instruction_goto_table',
  { instructionType: constant(u16, 1), len: length(u16), tableId: u8, pad: pad(3) },
  { tag: 'goto_table' },
);

export const instructionWriteMetadata = struct(
  'ofp_instruction_write_metadata',
  { instructionType: constant(u16, 2), len: length(u16), pad: pad(4), metadata: u64, metadataMask: u64 },
  { tag: 'write_metadata' },
);

/** write_actions, apply_actions, clear_actions share ofp_instruction_actions. */
function withActions<const Tag extends string>(code: number, tag: Tag) {
  return struct(
    'ofp_instruction_actions',
    { instructionType: constant(u16, code), len: length(u16), pad: pad(4), actions: actionList },
    { tag },
  );
}

export const instructionWriteActions = withActions(3, 'write_actions');
export const instructionApplyActions = withActions(4, 'apply_actions');

/** clear_actions carries no actions: its length is always 8. */
export const instructionClearActions = struct(
  'ofp_instruction_actions',
  { instructionType: constant(u16, 5), len: length(u16), pad: pad(4) },
  { tag: 'clear_actions' },
);

export const instructionMeter = struct(
  'ofp_instruction_meter',
  { instructionType: constant(u16, 6), len: length(u16), meterId: u32 },
  { tag: 'meter' },
);

export const instructionExperimenter = struct(
  'ofp_instruction_experimenter',
  { instructionType: constant(u16, 0xffff), len: length(u16), experimenter: u32, data: restBytes },
  { tag: 'experimenter' },
);

export const ofpInstruction = union(
  'ofp_instruction',
  [
    instructionGotoTable,
    instructionWriteMetadata,
    instructionWriteActions,
    instructionApplyActions,
    instructionClearActions,
    instructionMeter,
    instructionExperimenter,
  ],
  { at: 0, width: 2 },
);
export type Instruction = ValueOf<typeof ofpInstruction>;

export const instructionList = list(ofpInstruction);
