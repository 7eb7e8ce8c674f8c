/**
 * OFPMP_TABLE_FEATURES (12): what each table can match, set and do. A request with no body
 * asks; a request with bodies sets the pipeline. Properties are tagged by their
 * OFPTFPT name; each is padded to 8 bytes, the padding not counted in its length.
 */
import {
  array,
  constant,
  fixedString,
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
} from '../../codec';
import { multipartReply, multipartRequest } from './header';

const propLength = () => length(u16, { align: 8, includePadding: false });

/** An instruction or action as a capability: its type, and the experimenter id for experimenter ones. */
export const featureId = struct('ofp_feature_id', { idType: u16, len: length(u16), data: restBytes });
export type FeatureId = ValueOf<typeof featureId>;

function instructionsProp<const Tag extends string>(code: number, tag: Tag) {
  return struct(
    'ofp_table_feature_prop_instructions',
    { propType: constant(u16, code), length: propLength(), instructionIds: list(featureId) },
    { tag },
  );
}

function nextTablesProp<const Tag extends string>(code: number, tag: Tag) {
  return struct(
    'ofp_table_feature_prop_next_tables',
    { propType: constant(u16, code), length: propLength(), nextTableIds: array(u8) },
    { tag },
  );
}

function actionsProp<const Tag extends string>(code: number, tag: Tag) {
  return struct(
    'ofp_table_feature_prop_actions',
    { propType: constant(u16, code), length: propLength(), actionIds: list(featureId) },
    { tag },
  );
}

/** match, wildcards and the set-field properties: a list of OXM headers. */
function oxmProp<const Tag extends string>(code: number, tag: Tag) {
  return struct(
    'ofp_table_feature_prop_oxm',
    { propType: constant(u16, code), length: propLength(), oxmIds: array(u32) },
    { tag },
  );
}

function experimenterProp<const Tag extends string>(code: number, tag: Tag) {
  return struct(
    'ofp_table_feature_prop_experimenter',
    { propType: constant(u16, code), length: propLength(), experimenter: u32, expType: u32, data: restBytes },
    { tag },
  );
}

export const tableFeatureProp = union(
  'ofp_table_feature_prop',
  [
    instructionsProp(0, 'instructions'),
    instructionsProp(1, 'instructions_miss'),
    nextTablesProp(2, 'next_tables'),
    nextTablesProp(3, 'next_tables_miss'),
    actionsProp(4, 'write_actions'),
    actionsProp(5, 'write_actions_miss'),
    actionsProp(6, 'apply_actions'),
    actionsProp(7, 'apply_actions_miss'),
    oxmProp(8, 'match'),
    oxmProp(10, 'wildcards'),
    oxmProp(12, 'write_setfield'),
    oxmProp(13, 'write_setfield_miss'),
    oxmProp(14, 'apply_setfield'),
    oxmProp(15, 'apply_setfield_miss'),
    experimenterProp(0xfffe, 'experimenter'),
    experimenterProp(0xffff, 'experimenter_miss'),
  ],
  { at: 0, width: 2 },
);
export type TableFeatureProp = ValueOf<typeof tableFeatureProp>;

export const tableFeatures = struct('ofp_table_features', {
  length: length(u16),
  tableId: u8,
  pad: pad(5),
  name: fixedString(32),
  metadataMatch: u64,
  metadataWrite: u64,
  config: u32,
  maxEntries: u32,
  properties: list(tableFeatureProp),
});
export type TableFeatures = ValueOf<typeof tableFeatures>;

export const tableFeaturesRequest = struct(
  'ofp_table_features_request',
  { ...multipartRequest(12), tables: list(tableFeatures) },
  { tag: 'table_features_request' },
);

export const tableFeaturesReply = struct(
  'ofp_table_features_reply',
  { ...multipartReply(12), tables: list(tableFeatures) },
  { tag: 'table_features_reply' },
);
