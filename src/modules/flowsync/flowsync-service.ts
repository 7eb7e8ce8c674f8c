/** What FlowSync offers flow compilers: declare a datapath's flows; FlowSync makes the switch match. */
import type { DatapathId } from '../../openflow/protocol';
import { serviceToken } from '../runtime';
import type { SyncStats } from './datapath-sync';
import type { Flow } from './flow';
import type { Flow13 } from './of13-flow';

export interface DatapathSyncStatus extends SyncStats {
  readonly datapathId: DatapathId;
  readonly connected: boolean;
  readonly desired: number;
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
  /** Resolves when nothing is in flight for this datapath (synced, or waiting for the switch). */
  idle(datapathId: DatapathId): Promise<void>;
  status(): readonly DatapathSyncStatus[];
}

export const FlowSyncService = serviceToken<FlowSyncApi>('flowsync');
