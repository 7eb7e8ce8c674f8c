/**
 * OFPT_EXPERIMENTER (OpenFlow 1.3), dispatched on the experimenter id at byte 8: ONF messages
 * (the bundle extension OVS accepts on 1.3) by their exp_type, any other experimenter kept
 * as raw data.
 */
import { constant, restBytes, struct, u32, union, type ValueOf } from '../codec';
import { header } from '../header';
import { bundleAdd, bundleControl } from './bundle';
import { ONF_EXPERIMENTER_ID } from './constants';

export const experimenterMessage = struct(
  'ofp_experimenter_header',
  { ...header(4, 4), experimenter: u32, expType: u32, data: restBytes },
  { tag: 'experimenter' },
);
export type ExperimenterMessage = ValueOf<typeof experimenterMessage>;

/** An ONF experimenter message we have no codec for. */
export const onfExperimenterMessage = struct(
  'onf_experimenter_header',
  { ...header(4, 4), experimenter: constant(u32, ONF_EXPERIMENTER_ID), expType: u32, data: restBytes },
  { tag: 'onf_experimenter' },
);

export const onfMessage = union('onf_experimenter', [bundleControl, bundleAdd], {
  at: 12,
  width: 4,
  fallback: onfExperimenterMessage,
});

export const ofp13Experimenter = union('ofp_experimenter', [onfMessage], {
  at: 8,
  width: 4,
  fallback: experimenterMessage,
});
