/**
 * The PortBindings service: a BindingTable fed by the OVSDB manager's changes, its changes
 * published to listeners and the event core, and waiters for logical ports.
 */
import type { Observable } from 'rxjs';
import type { Scheduler, WaitOptions } from '../../async';
import type { OvsdbChange } from '../ovsdb-manager';
import type { PortBinding } from './binding';
import { BindingTable } from './binding-table';
import { type PortBindingChange, PortBindingEvent } from './events';
import { LogicalPortWaiters } from './logical-port-waiters';
import type { PortBindingFilter, PortBindings } from './port-binding-service';

export class PortBindingState implements PortBindings {
  private readonly table = new BindingTable();
  private readonly waiters = new LogicalPortWaiters();
  private listeners: ((changes: readonly PortBindingChange[]) => void)[] = [];

  constructor(
    private readonly scheduler: Scheduler,
    private readonly onListenerError: (err: unknown) => void = () => undefined,
  ) {}

  get size(): number {
    return this.table.size;
  }

  /** Feeds OVSDB manager changes in (the module subscribes this to OvsdbManagerService). */
  apply(changes: readonly OvsdbChange[]): void {
    const out = this.table.apply(changes);
    if (out.length === 0) return;
    for (const c of out) this.scheduler.emit(c);
    for (const l of this.listeners) {
      try {
        l(out);
      } catch (err) {
        this.onListenerError(err);
      }
    }
    // Last: a resolved waiter's continuation then sees the listeners' state current too.
    for (const c of out) if (c.change !== 'removed') this.waiters.appeared(c.binding);
  }

  close(reason: string): void {
    this.waiters.cancelAll(reason);
  }

  byPort(datapathId: bigint, portNo: number): PortBinding | undefined {
    return this.table.byPort(datapathId, portNo);
  }

  byName(datapathId: bigint, name: string): PortBinding | undefined {
    return this.table.byName(datapathId, name);
  }

  whereIs(logicalPortId: string): readonly PortBinding[] {
    return this.table.whereIs(logicalPortId);
  }

  list(filter?: PortBindingFilter): readonly PortBinding[] {
    return this.table.list(filter);
  }

  subscribe(listener: (changes: readonly PortBindingChange[]) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  observe(filter: PortBindingFilter = {}): Observable<PortBindingChange> {
    const fixed: { logicalPortId?: string; datapathId?: bigint } = {};
    if (filter.logicalPortId !== undefined) fixed.logicalPortId = filter.logicalPortId;
    if (filter.datapathId !== undefined) fixed.datapathId = filter.datapathId;
    return this.scheduler.observe(PortBindingEvent.match(fixed));
  }

  waitForLogicalPort(logicalPortId: string, options?: WaitOptions): Promise<PortBinding> {
    return this.waiters.wait(logicalPortId, this.table.whereIs(logicalPortId)[0], options);
  }
}
