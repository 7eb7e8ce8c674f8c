/** The `openflowmanager` module: OpenFlow switches, their ports, and the table plan. */
export { listenEndpoint } from './listen-address';
export { openflowManagerModule } from './openflow-manager-module';
export type { OpenflowManager } from './openflow-manager-service';
export { OpenflowManagerService } from './openflow-manager-service';
export type { SwitchInfo, SwitchPort } from './switch-registry';
export { SwitchRegistry } from './switch-registry';
