/**
 * Groups for OpenFlow 1.3 switches as FlowSync handles them. FlowSync owns the group ids
 * 0x56000000-0x56ffffff ("V" in the top byte); an owner picks the low 24 bits, and groups
 * outside that range (another controller's, an operator's) are never read back or touched.
 * A group read back from the switch (group-desc) gives the same canonical body as the one
 * declared, because unset bucket fields are filled with what the switch reports.
 */
import { toJson } from '../../openflow/codec';
import type { Action } from '../../openflow/v13/action';
import { Group as GroupNo, GroupType, Port } from '../../openflow/v13/constants';
import type { GroupDesc } from '../../openflow/v13/multipart/group';
import type { Group } from './group';
import { FlowSpecError } from './of13-flow';

export const FLOWSYNC_GROUP_BASE = 0x5600_0000;
export const FLOWSYNC_GROUP_MASK = 0xff00_0000;

export const isFlowSyncGroup = (id: number): boolean =>
  (id & FLOWSYNC_GROUP_MASK) >>> 0 === FLOWSYNC_GROUP_BASE;

export type GroupTypeName = 'all' | 'select' | 'indirect' | 'ff';

export interface Bucket13 {
  readonly actions: readonly Action[];
  /** select groups: share of traffic (default 1); 0 for the others. */
  readonly weight?: number;
  /** ff groups: the port whose liveness this bucket watches (default ANY). */
  readonly watchPort?: number;
  readonly watchGroup?: number;
}

export interface Group13 {
  /** The full group id (FLOWSYNC_GROUP_BASE | the owner's low 24 bits). */
  readonly groupId: number;
  readonly type: GroupTypeName;
  readonly buckets: readonly Bucket13[];
}

const TYPE_CODE: Readonly<Record<GroupTypeName, number>> = {
  all: GroupType.ALL,
  select: GroupType.SELECT,
  indirect: GroupType.INDIRECT,
  ff: GroupType.FF,
};
const TYPE_NAME = new Map(Object.entries(TYPE_CODE).map(([k, v]) => [v, k as GroupTypeName]));

export const groupTypeCode = (t: GroupTypeName): number => TYPE_CODE[t];

function bodyKey(type: GroupTypeName, buckets: readonly Required<Bucket13>[]): string {
  return `${type}/${JSON.stringify(toJson(buckets))}`;
}

/** A group an owner declares (`id`: the low 24 bits), ready for DesiredGroups. */
export function group13(spec: {
  readonly id: number;
  readonly type: GroupTypeName;
  readonly buckets: readonly Bucket13[];
}): Group<Group13> {
  if (!Number.isInteger(spec.id) || spec.id < 0 || spec.id > 0xff_ffff) {
    throw new FlowSpecError(`group id ${spec.id} does not fit the 24 bits an owner may use`);
  }
  if (spec.type === 'indirect' && spec.buckets.length !== 1) {
    throw new FlowSpecError(
      `indirect group ${spec.id} must have exactly one bucket, not ${spec.buckets.length}`,
    );
  }
  const buckets = spec.buckets.map(
    (b): Required<Bucket13> => ({
      actions: b.actions,
      weight: b.weight ?? (spec.type === 'select' ? 1 : 0),
      watchPort: b.watchPort ?? Port.ANY,
      watchGroup: b.watchGroup ?? GroupNo.ANY,
    }),
  );
  const groupId = (FLOWSYNC_GROUP_BASE | spec.id) >>> 0;
  return { id: groupId, body: bodyKey(spec.type, buckets), value: { groupId, type: spec.type, buckets } };
}

/** A group the switch reports, in the same form. */
export function groupFromDesc(d: GroupDesc): Group<Group13> {
  const type = TYPE_NAME.get(d.groupType);
  if (type === undefined) throw new FlowSpecError(`group ${d.groupId} has unknown type ${d.groupType}`);
  const buckets = d.buckets.map(
    (b): Required<Bucket13> => ({
      actions: b.actions,
      weight: b.weight,
      watchPort: b.watchPort,
      watchGroup: b.watchGroup,
    }),
  );
  return { id: d.groupId, body: bodyKey(type, buckets), value: { groupId: d.groupId, type, buckets } };
}
