/** OVSDB (RFC 7047): JSON-RPC client for both connection ends, data conversion, IDL replica. */
export type { LockHandler, MonitorHandler, OvsdbClientOptions } from './client';
export { OvsdbClient, protocolWithKeepalive } from './client';
export type { Atom, ColumnType, Datum, NamedUuid, Uuid } from './datum';
export { datumFromWire, datumToWire, isUuid, namedUuid, OvsdbDataError, uuid } from './datum';
export { OvsdbRequestError, OvsdbTransactionError } from './errors';
export type { Row, RowChange, TableSelection } from './idl';
export { Idl, OvsdbRowEvent } from './idl';
export type { JsonStreamLimits, JsonValue } from './json-stream';
export { JsonStreamParser, stringifyJson } from './json-stream';
export type { RpcMessage } from './jsonrpc';
export { jsonRpcProtocol, serializeRpc } from './jsonrpc';
export type { BridgeView, InterfaceView } from './open-vswitch';
export { bridgeInterfaces, bridges, interfaces, interfaceView, OPEN_VSWITCH_TABLES } from './open-vswitch';
export type { OvsdbListenerOptions } from './passive';
export { listenOvsdb } from './passive';
export type { DatabaseSchema, TableSchema } from './schema';
export { OvsdbSchemaError, parseSchema } from './schema';
