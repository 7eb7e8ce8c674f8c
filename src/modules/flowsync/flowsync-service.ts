/** What FlowSync offers flow compilers: declare a datapath's flows; FlowSync makes the switch match. */
import type { DatapathId } from '../../openflow/protocol';
import { serviceToken } from '../runtime';
import type { SyncStats } from './datapath-sync';
import type { Flow } from './flow';
import type { Group } from './group';
import type { Flow13 } from './of13-flow';
import type { Group13 } from './of13-group';

export interface DatapathSyncStatus extends SyncStats {
  readonly datapathId: DatapathId;
  readonly connected: boolean;
  readonly desired: number;
  readonly desiredGroups: number;
}

export interface FlowSyncApi {
  /**
   * Replaces every flow `owner` declared on this datapath. Throws FlowConflictError (changing
   * nothing) when another owner declares one of these flows differently.
   */
  replace(owner: string, datapathId: DatapathId, flows: Iterable<Flow<Flow13>>): void;
  /** Adds or replaces some of `owner`'s flows and withdraws others (by flowKey). */
  update(
    owner: string,
    datapathId: DatapathId,
    upsert: Iterable<Flow<Flow13>>,
    withdraw?: Iterable<string>,
  ): void;
  /**
   * Replaces every group `owner` declared on this datapath (ids from `group13`, in the range
   * FlowSync owns). Groups go to the switch before the flows that use them and leave after
   * them. Throws GroupConflictError (changing nothing) on a conflicting declaration.
   */
  replaceGroups(owner: string, datapathId: DatapathId, groups: Iterable<Group<Group13>>): void;
  /** Resolves when nothing is in flight for this datapath (synced, or waiting for the switch). */
  idle(datapathId: DatapathId): Promise<void>;
  status(): readonly DatapathSyncStatus[];
}

export const FlowSyncService = serviceToken<FlowSyncApi>('flowsync');
