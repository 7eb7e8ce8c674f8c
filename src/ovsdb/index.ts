/** OVSDB (RFC 7047): JSON-RPC client for both connection ends, data conversion, IDL replica. */
export type { EchoHandler, LockHandler, MonitorHandler, OvsdbClientOptions, PendingRequest } from './client';
export { OvsdbClient, protocolWithKeepalive } from './client';
export type { Atom, ColumnType, Datum, NamedUuid, Uuid } from './datum';
export { datumFromWire, datumToWire, isUuid, namedUuid, OvsdbDataError, uuid } from './datum';
export { OvsdbRequestError, OvsdbTransactionError } from './errors';
export type { Row, RowChange, TableSelection } from './idl';
export { Idl, OvsdbRowEvent } from './idl';
export type { JsonStreamLimits, JsonValue } from './json-stream';
export { JsonStreamParser, stringifyJson } from './json-stream';
export type { RpcId, RpcMessage } from './jsonrpc';
export { jsonRpcProtocol, serializeRpc } from './jsonrpc';
export type {
  BridgeView,
  ControllerView,
  InterfaceView,
  ManagerView,
  OpenVswitchView,
  PortView,
} from './open-vswitch';
export {
  bridgeControllers,
  bridgeInterfaces,
  bridges,
  controllers,
  interfaces,
  interfaceView,
  managers,
  OPEN_VSWITCH_TABLES,
  openVswitch,
  ports,
  portView,
} from './open-vswitch';
export type { OvsdbListenerOptions } from './passive';
export { listenOvsdb } from './passive';
export type { DatabaseSchema, TableSchema } from './schema';
export { OvsdbSchemaError, parseSchema } from './schema';
export type { IdlSessionOptions } from './session';
export { IdlSession } from './session';
export { IdlTransaction, IdlTransactionConflictError, transactIdl } from './transaction';
