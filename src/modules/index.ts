/** The modules `vlcp-ts start` loads, in one place. Each later module adds one line here. */
import { arpResponderModule } from './arp-responder';
import { coreModule } from './core/core-module';
import { dhcpServerModule } from './dhcp-server';
import { flowSyncModule } from './flowsync';
import { l2Module } from './l2';
import { l3Module } from './l3';
import { openflowManagerModule } from './openflow-manager';
import { ovsdbManagerModule } from './ovsdb-manager';
import { pipelineModule } from './pipeline';
import { portBindingModule } from './port-binding';
import type { ModuleDefinition } from './runtime';
import { storeModule } from './store/store-module';
import { viperflowModule } from './viperflow/viperflow-module';
import { vrouterApiModule } from './vrouter-api';

export const builtinModules: readonly ModuleDefinition[] = [
  coreModule,
  storeModule,
  openflowManagerModule,
  flowSyncModule,
  pipelineModule,
  viperflowModule,
  vrouterApiModule,
  ovsdbManagerModule,
  portBindingModule,
  arpResponderModule,
  dhcpServerModule,
  l2Module,
  l3Module,
];
