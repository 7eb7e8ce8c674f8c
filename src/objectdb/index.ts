/** ObjectDB: typed objects, multi-key transactions and consistent watches; see docs/objectdb.md. */
export type {
  Backend,
  BackendListener,
  BackendSnapshot,
  CommitNotice,
  CommitRequest,
  CommitResult,
  StoredValue,
} from './backend';
export { EmbeddedBackend, type EmbeddedOptions } from './embedded/backend';
export * from './errors';
export {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportFile,
  exportFile,
  exportFileText,
  parseExportFile,
} from './export-file';
export { DEFAULT_MAX_VALUE_BYTES, type JsonObject, type JsonValue } from './json-value';
export { type Key, toKey } from './key';
export type { IndexDef, ObjectType, Ref } from './object-type';
export { asObject, defineObjectType, isRef, ref, refsIn, refTargets } from './object-type';
export { type CommitInfo, ObjectDb, type ObjectDbOptions, type WriteSet } from './objectdb';
export { DEFAULT_OBJECTDB_URL, openBackend, openObjectDb } from './open';
export { copyStore, type ImportResult, importStore, type StoreCopy } from './store-copy';
export type { WalkTx } from './transaction';
export type { KeyClosure, Watch, WatchSnapshot } from './watch';
