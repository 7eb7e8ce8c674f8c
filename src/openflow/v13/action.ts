/**
 * OpenFlow 1.3 actions (ofp_action_*), one struct per OFPAT type, as the `ofpAction` union
 * on the type at byte 0. Experimenter actions dispatch on the experimenter id at byte 4:
 * Nicira ones to `nxAction`, any other kept as raw data so it still round-trips.
 */
import { constant, length, list, pad, restBytes, struct, u8, u16, u32, union, type ValueOf } from '../codec';
import { nxAction } from '../nicira';
import { setFieldAction } from '../oxm';

const len = () => length(u16, { align: 8 });

export const actionOutput = struct(
  'ofp_action_output',
  { actionType: constant(u16, 0), len: len(), port: u32, maxLen: u16, pad: pad(6) },
  { tag: 'output' },
);

/** The actions with no argument: a header and 4 bytes of padding. */
function bare<const Tag extends string>(name: string, code: number, tag: Tag) {
  return struct(name, { actionType: constant(u16, code), len: len(), pad: pad(4) }, { tag });
}

export const actionCopyTtlOut = bare('ofp_action_copy_ttl_out', 11, 'copy_ttl_out');
export const actionCopyTtlIn = bare('ofp_action_copy_ttl_in', 12, 'copy_ttl_in');
export const actionDecMplsTtl = bare('ofp_action_dec_mpls_ttl', 16, 'dec_mpls_ttl');
export const actionPopVlan = bare('ofp_action_pop_vlan', 18, 'pop_vlan');
export const actionDecNwTtl = bare('ofp_action_dec_nw_ttl', 24, 'dec_nw_ttl');
export const actionPopPbb = bare('ofp_action_pop_pbb', 27, 'pop_pbb');

export const actionSetMplsTtl = struct(
  'ofp_action_mpls_ttl',
  { actionType: constant(u16, 15), len: len(), mplsTtl: u8, pad: pad(3) },
  { tag: 'set_mpls_ttl' },
);

/** push_vlan, push_mpls, pop_mpls, push_pbb: an ethertype and 2 bytes of padding. */
function withEthertype<const Tag extends string>(name: string, code: number, tag: Tag) {
  return struct(name, { actionType: constant(u16, code), len: len(), ethertype: u16, pad: pad(2) }, { tag });
}

export const actionPushVlan = withEthertype('ofp_action_push', 17, 'push_vlan');
export const actionPushMpls = withEthertype('ofp_action_push', 19, 'push_mpls');
export const actionPopMpls = withEthertype('ofp_action_pop_mpls', 20, 'pop_mpls');
export const actionPushPbb = withEthertype('ofp_action_push', 26, 'push_pbb');

export const actionSetQueue = struct(
  'ofp_action_set_queue',
  { actionType: constant(u16, 21), len: len(), queueId: u32 },
  { tag: 'set_queue' },
);

export const actionGroup = struct(
  'ofp_action_group',
  { actionType: constant(u16, 22), len: len(), groupId: u32 },
  { tag: 'group' },
);

export const actionSetNwTtl = struct(
  'ofp_action_nw_ttl',
  { actionType: constant(u16, 23), len: len(), nwTtl: u8, pad: pad(3) },
  { tag: 'set_nw_ttl' },
);

/** OFPAT_SET_FIELD is declared with the OXM fields (oxm/set-field.ts). */
export const actionSetField = setFieldAction;

/** An experimenter action of an experimenter we have no codec for: its body as bytes. */
export const actionExperimenterRaw = struct(
  'ofp_action_experimenter_header',
  { actionType: constant(u16, 0xffff), len: len(), experimenter: u32, data: restBytes },
  { tag: 'experimenter' },
);

export const actionExperimenter = union('ofp_action_experimenter', [nxAction], {
  at: 4,
  width: 4,
  fallback: actionExperimenterRaw,
});

export const ofpAction = union(
  'ofp_action',
  [
    actionOutput,
    actionCopyTtlOut,
    actionCopyTtlIn,
    actionSetMplsTtl,
    actionDecMplsTtl,
    actionPushVlan,
    actionPopVlan,
    actionPushMpls,
    actionPopMpls,
    actionSetQueue,
    actionGroup,
    actionSetNwTtl,
    actionDecNwTtl,
    actionSetField,
    actionPushPbb,
    actionPopPbb,
    actionExperimenter,
  ],
  { at: 0, width: 2 },
);
export type Action = ValueOf<typeof ofpAction>;

/** Actions one after another to the end of the enclosing struct (or the size given for them). */
export const actionList = list(ofpAction);
