/** Declared flows: per-owner desired sets and the ordered difference against a switch. */

export type { DatapathSyncOptions, FlowChannel, SyncEvent, SyncListener, SyncStats } from './datapath-sync';
export { DatapathSync } from './datapath-sync';
export { DesiredFlows, FlowConflictError } from './desired-flows';
export { DesiredGroups, GroupConflictError } from './desired-groups';
export type { Flow } from './flow';
export { flowKey, sameFlow } from './flow';
export type { FlowPlan } from './flow-diff';
export { applyPlan, diffFlows, isEmptyPlan } from './flow-diff';
export { flowSyncModule } from './flowsync-module';
export type { DatapathSyncStatus, FlowSyncApi } from './flowsync-service';
export { FlowSyncService } from './flowsync-service';
export type { Group } from './group';
export { sameGroup } from './group';
export type { GroupPlan } from './group-diff';
export { applyGroupPlan, diffGroups, isEmptyGroupPlan } from './group-diff';
export { FlowSyncApplyError, Of13FlowChannel } from './of13-channel';
export type { Flow13 } from './of13-flow';
export { FLOWSYNC_COOKIE, FLOWSYNC_COOKIE_MASK, FlowSpecError, flow13, flowFromStats } from './of13-flow';
export type { Bucket13, Group13, GroupTypeName } from './of13-group';
export {
  FLOWSYNC_GROUP_BASE,
  FLOWSYNC_GROUP_MASK,
  group13,
  groupFromDesc,
  isFlowSyncGroup,
} from './of13-group';
