/** RESP as a Protocol of the connection framework. */
import type { Protocol } from '../protocol';
import { type RespLimits, RespParser } from './parser';
import { serializeResp } from './serializer';
import type { RespValue } from './value';

export function respProtocol(limits: RespLimits = {}): Protocol<RespValue> {
  return {
    name: 'resp',
    createParser: () => new RespParser(limits),
    serialize: serializeResp,
  };
}
