/** The `portbinding` module: OpenFlow ports ↔ logical ports, physical ports, tunnels. */
export type { PortBinding, TunnelInfo } from './binding';
export { bindingFromPort, LOCAL_PORT } from './binding';
export { BindingTable } from './binding-table';
export type { BindingChange, PortBindingChange } from './events';
export { PortBindingEvent } from './events';
export { portBindingModule } from './port-binding-module';
export type { PortBindingFilter, PortBindings } from './port-binding-service';
export { PortBindingService } from './port-binding-service';
export { PortBindingState } from './port-bindings';
