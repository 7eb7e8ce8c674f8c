/** JSON-RPC 1.0 messages as OVSDB uses them (RFC 7047 section 4), and the Protocol for them. */
import { type Protocol, ProtocolError } from '../protocol';
import { type JsonStreamLimits, JsonStreamParser, type JsonValue, stringifyJson } from './json-stream';

export type RpcId = string | number;

export type RpcMessage =
  | {
      readonly kind: 'request';
      readonly method: string;
      readonly params: readonly JsonValue[];
      readonly id: RpcId;
    }
  | { readonly kind: 'notification'; readonly method: string; readonly params: readonly JsonValue[] }
  | { readonly kind: 'response'; readonly id: RpcId; readonly result: JsonValue; readonly error: JsonValue };

function toMessage(v: JsonValue): RpcMessage {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new ProtocolError('ovsdb', 'a JSON-RPC message must be an object');
  }
  const id = v.id;
  if (typeof v.method === 'string') {
    if (!Array.isArray(v.params))
      throw new ProtocolError('ovsdb', `request ${v.method}: params must be an array`);
    if (id === null || id === undefined) return { kind: 'notification', method: v.method, params: v.params };
    if (typeof id !== 'string' && typeof id !== 'number')
      throw new ProtocolError('ovsdb', 'request id must be a string or number');
    return { kind: 'request', method: v.method, params: v.params, id };
  }
  if ('result' in v || 'error' in v) {
    if (typeof id !== 'string' && typeof id !== 'number')
      throw new ProtocolError('ovsdb', 'response without a usable id');
    return { kind: 'response', id, result: v.result ?? null, error: v.error ?? null };
  }
  throw new ProtocolError('ovsdb', 'message is neither a request, a notification nor a response');
}

export function serializeRpc(m: RpcMessage): Buffer {
  const body =
    m.kind === 'response'
      ? { id: m.id, result: m.result, error: m.error }
      : { method: m.method, params: m.params, id: m.kind === 'request' ? m.id : null };
  return Buffer.from(stringifyJson(body), 'utf8');
}

export function jsonRpcProtocol(limits: JsonStreamLimits = {}): Protocol<RpcMessage> {
  return {
    name: 'ovsdb',
    createParser() {
      const p = new JsonStreamParser('ovsdb', limits);
      return {
        get pending() {
          return p.pending;
        },
        feed(chunk, emit) {
          p.feed(chunk, (v) => emit(toMessage(v)));
        },
      };
    },
    serialize: serializeRpc,
  };
}
