/** Declared flows: per-owner desired sets and the ordered difference against a switch. */

export type { DatapathSyncOptions, FlowChannel, SyncListener, SyncStats } from './datapath-sync';
export { DatapathSync } from './datapath-sync';
export { DesiredFlows, FlowConflictError } from './desired-flows';
export type { Flow } from './flow';
export { flowKey, sameFlow } from './flow';
export type { FlowPlan } from './flow-diff';
export { applyPlan, diffFlows, isEmptyPlan } from './flow-diff';
