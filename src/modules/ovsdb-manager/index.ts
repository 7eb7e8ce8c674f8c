/** The `ovsdbmanager` module: bridges and OpenFlow ports of each host, learnt from OVSDB. */
// formatDatapathId: the OpenFlow layer's, re-exported for the module's callers.
export { formatDatapathId } from '../../openflow/protocol';
export { DatapathIdParam, datapathIdFromOvsdb, datapathIdParam } from './datapath-id';
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
export { sameStringMap } from './same-string-map';
