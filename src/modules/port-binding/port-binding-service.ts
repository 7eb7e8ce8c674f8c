/** What the `portbinding` module offers other modules (declare `portbinding` in `depends`). */
import type { Observable } from 'rxjs';
import type { WaitOptions } from '../../async';
import { serviceToken } from '../runtime';
import type { PortBinding } from './binding';
import type { PortBindingChange } from './events';

export interface PortBindingFilter {
  readonly datapathId?: bigint;
  readonly logicalPortId?: string;
}

export interface PortBindings {
  byPort(datapathId: bigint, portNo: number): PortBinding | undefined;
  /** By interface name: how physical ports are found. */
  byName(datapathId: bigint, name: string): PortBinding | undefined;
  /** Where a logical port is plugged in (usually once; twice while a VM migrates). */
  whereIs(logicalPortId: string): readonly PortBinding[];
  list(filter?: PortBindingFilter): readonly PortBinding[];
  /**
   * Every batch of binding changes from now on, synchronously and in order, after the
   * queries above show them: read, then subscribe in the same tick, and nothing is missed
   * or seen twice. Returns the unsubscribe function.
   */
  subscribe(listener: (changes: readonly PortBindingChange[]) => void): () => void;
  /** The changes as an RxJS stream from the event core (delivered asynchronously). */
  observe(filter?: PortBindingFilter): Observable<PortBindingChange>;
  /**
   * The binding of `logicalPortId` once it is on any local switch: at once if it is there
   * already, else when it appears. Rejects with TimeoutError or CancelledError.
   */
  waitForLogicalPort(logicalPortId: string, options?: WaitOptions): Promise<PortBinding>;
}

export const PortBindingService = serviceToken<PortBindings>('portbinding');
