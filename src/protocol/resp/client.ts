/**
 * A minimal pipelining RESP client over a Connection: replies come back in command order,
 * push messages (RESP3) go to `onPush`. Enough for management calls and tests; the ObjectDB
 * Redis backend uses ioredis.
 */
import type { Connection } from '../connection';
import { ConnectionClosedError } from '../errors';
import type { RespValue } from './value';
import { respCommand } from './value';

interface Pending {
  resolve(v: RespValue): void;
  reject(e: unknown): void;
}

export class RespClient {
  private readonly pending: Pending[] = [];

  constructor(
    private readonly connection: Connection<RespValue>,
    private readonly onPush?: (v: RespValue) => void,
  ) {
    connection.closed.then((reason) => {
      for (const p of this.pending.splice(0)) p.reject(new ConnectionClosedError(connection.id, reason));
    });
  }

  /** Feed every message received on the connection here (wire it in `onMessage`). */
  receive(v: RespValue): void {
    if (v.type === 'push' && this.onPush !== undefined) {
      this.onPush(v);
      return;
    }
    this.pending.shift()?.resolve(v);
  }

  /**
   * Sends a command whose answer comes as push messages, not as a reply (SUBSCRIBE and
   * friends under RESP3), so no reply is awaited.
   */
  send(...args: readonly (string | Buffer | number | bigint)[]): Promise<void> {
    return this.connection.write(respCommand(...args));
  }

  /** Sends a command; resolves with its reply (error replies resolve too, as `error` values). */
  async call(...args: readonly (string | Buffer | number | bigint)[]): Promise<RespValue> {
    const reply = new Promise<RespValue>((resolve, reject) => this.pending.push({ resolve, reject }));
    await this.connection.write(respCommand(...args));
    return reply;
  }
}
