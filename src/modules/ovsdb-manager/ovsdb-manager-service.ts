/** What the `ovsdbmanager` module offers other modules (declare `ovsdbmanager` in `depends`). */
import { serviceToken } from '../runtime';
import type { OvsdbBridge, OvsdbChange, OvsdbPort } from './events';

export interface OvsdbConnectionInfo {
  /** The name its bridges report as `connection`. */
  readonly connection: string;
  /** The configured endpoint it belongs to. */
  readonly endpoint: string;
  readonly passive: boolean;
  /** `listening`: a passive endpoint's listener itself. */
  readonly state: 'connected' | 'disconnected' | 'listening';
  readonly systemId: string | undefined;
  /** For a passive endpoint: the port it listens on (useful with ptcp:0). */
  readonly listeningPort?: number;
}

export interface OvsdbManager {
  /** Bridges that are up (datapath id known), on every connected host. */
  bridges(): readonly OvsdbBridge[];
  bridge(datapathId: bigint): OvsdbBridge | undefined;
  /** Ports with an OpenFlow number: of one datapath, or of all. */
  ports(datapathId?: bigint): readonly OvsdbPort[];
  /** OVSDB connections (and passive listeners with no connection yet). */
  connections(): readonly OvsdbConnectionInfo[];
  /**
   * Calls `listener` with every batch of changes from now on, synchronously and in order,
   * after the manager's own state (bridges(), ports()) already shows them. A listener that
   * reads the current state first and then subscribes, in the same tick, misses nothing
   * and sees nothing twice. Returns the unsubscribe function.
   */
  subscribe(listener: (changes: readonly OvsdbChange[]) => void): () => void;
}

export const OvsdbManagerService = serviceToken<OvsdbManager>('ovsdbmanager');
