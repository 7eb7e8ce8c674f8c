/** What the openflow manager offers other modules: the connected switches and the table plan. */
import type { DatapathId } from '../../openflow/protocol';
import { serviceToken } from '../runtime';
import type { TablePlan } from '../tables/table-plan';
import type { SwitchInfo } from './switch-registry';

export interface OpenflowManager {
  /** The switch with this datapath id, while it is connected. */
  switch(datapathId: DatapathId): SwitchInfo | undefined;
  switches(): readonly SwitchInfo[];
  /** Table numbers by name (see tables/pipeline.ts); the same on every switch and every run. */
  readonly tables: TablePlan;
}

export const OpenflowManagerService = serviceToken<OpenflowManager>('openflowmanager');
