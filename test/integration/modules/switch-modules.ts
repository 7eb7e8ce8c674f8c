/**
 * The modules every switch-facing test controller runs (store, openflowmanager, flowsync,
 * pipeline, viperflow, ovsdbmanager, portbinding); a test adds the feature modules it is about.
 */
import { flowSyncModule } from '../../../src/modules/flowsync';
import { openflowManagerModule } from '../../../src/modules/openflow-manager';
import { ovsdbManagerModule } from '../../../src/modules/ovsdb-manager';
import { pipelineModule } from '../../../src/modules/pipeline';
import { portBindingModule } from '../../../src/modules/port-binding';
import type { ModuleDefinition } from '../../../src/modules/runtime';
import { storeModule } from '../../../src/modules/store/store-module';
import { viperflowModule } from '../../../src/modules/viperflow';

export const SWITCH_MODULES: readonly ModuleDefinition[] = [
  storeModule,
  openflowManagerModule,
  flowSyncModule,
  pipelineModule,
  viperflowModule,
  ovsdbManagerModule,
  portBindingModule,
];
