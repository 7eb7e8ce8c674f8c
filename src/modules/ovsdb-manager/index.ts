/** The `ovsdbmanager` module: bridges and OpenFlow ports of each host, learnt from OVSDB. */
export { DatapathIdParam, datapathIdFromOvsdb, datapathIdParam, formatDatapathId } from './datapath-id';
export type { OvsdbEndpoint } from './endpoints';
export { DEFAULT_OVSDB_ENDPOINT, parseOvsdbEndpoints } from './endpoints';
export type {
  BridgeState,
  OvsdbBridge,
  OvsdbBridgeChange,
  OvsdbChange,
  OvsdbPort,
  OvsdbPortChange,
  PortChange,
} from './events';
export { OvsdbBridgeEvent, OvsdbPortEvent } from './events';
export { HostReplica, OVSDB_MANAGER_TABLES } from './host-replica';
export { ovsdbManagerModule } from './ovsdb-manager-module';
export type { OvsdbConnectionInfo, OvsdbManager } from './ovsdb-manager-service';
export { OvsdbManagerService } from './ovsdb-manager-service';
