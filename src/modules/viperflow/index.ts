/** viperflow: the logical-network model and its VLCP-compatible API; see docs/viperflow.md. */
export {
  ADDRESS_PAIRS,
  AddressPairError,
  type AllowedAddressPair,
  parseAddressPairs,
} from './address-pairs';
export { P as viperflowParams } from './api-params';
export {
  escapeComponent,
  idOfKey,
  type Kind,
  mapKey,
  objectKey,
  type PhysicalPortId,
  physicalPortKey,
  setKey,
} from './keys';
export type {
  LogicalNetworkMapObject,
  LogicalNetworkObject,
  LogicalPortObject,
  NetworkType,
  PhysicalNetworkMapObject,
  PhysicalNetworkObject,
  PhysicalPortObject,
  SubnetMapObject,
  SubnetObject,
} from './model';
export { viperflowModule } from './viperflow-module';
export { watchLogicalNetwork } from './watch-logicalnetwork';
