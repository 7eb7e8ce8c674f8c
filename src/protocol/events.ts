/** Connection state events, published on the scheduler by every Connection. */
import { defineEvent, Priority } from '../async';

declare const connectionIdBrand: unique symbol;
/** Unique per process: `<protocol>-<n>`. */
export type ConnectionId = string & { readonly [connectionIdBrand]: true };

export interface ConnectionStateFields {
  readonly protocol: string;
  readonly connectionId: ConnectionId;
  readonly state: 'up' | 'down';
  /** `tcp:127.0.0.1:50000`, `unix:/run/db.sock`. */
  readonly remote: string;
  /** Why it went down (down events only). */
  readonly reason?: string;
}

/** HIGH priority: a connection going down is seen before data queued behind it. */
export const ConnectionStateEvent = defineEvent<ConnectionStateFields>()(
  'protocol.connection-state',
  ['protocol', 'connectionId', 'state'],
  { priority: Priority.HIGH },
);
