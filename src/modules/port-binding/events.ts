/** Port binding changes on the event core; the same objects go to PortBindingService listeners. */
import { defineEvent, type EventOf } from '../../async';
import type { PortBinding } from './binding';

export type BindingChange = 'added' | 'updated' | 'removed';

/**
 * One binding's change. Indexed by logical port first: waiters for one logical port are
 * many (one per port being created), subscribers per datapath few.
 * A port whose logical port id changes is `removed` (old id) then `added` (new id), so each
 * event's logicalPortId says who appeared or vanished; `updated` keeps the logical port id.
 */
export const PortBindingEvent = defineEvent<{
  readonly change: BindingChange;
  readonly logicalPortId: string | undefined;
  readonly datapathId: bigint;
  readonly portNo: number;
  readonly binding: PortBinding;
  /** For `updated`: the binding before. */
  readonly old: PortBinding | undefined;
}>()('portbinding.binding', ['logicalPortId', 'datapathId', 'change']);

export type PortBindingChange = EventOf<
  typeof PortBindingEvent.type,
  Parameters<typeof PortBindingEvent.create>[0]
>;
