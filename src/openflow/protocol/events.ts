/**
 * OpenFlow switch events on the event core: a switch came up (handshake done), went down,
 * or sent a message nobody asked for (packet_in, port_status, flow_removed, an error to a
 * message sent without a request, ...). Indexed so a module waits for exactly what it needs:
 * `SwitchMessageEvent.match({ msgType: 'packet_in', datapathId })`.
 */
import { defineEvent, type EventOf, type Matcher, Priority } from '../../async';
import type { ConnectionId } from '../../protocol';
import type { DatapathId } from './datapath-id';
import type { SwitchFeatures } from './features';
import type { OpenflowSwitch } from './switch';
import type { OpenflowMessage, OpenflowMessageType, OpenflowVersion } from './versions';

export interface SwitchUpFields {
  readonly datapathId: DatapathId;
  readonly version: OpenflowVersion;
  readonly connectionId: ConnectionId;
  /** `tcp:127.0.0.1:50412` */
  readonly remote: string;
  readonly features: SwitchFeatures;
  /** The connection, to send to and request from. */
  readonly connection: OpenflowSwitch;
}

export interface SwitchDownFields {
  readonly datapathId: DatapathId;
  readonly version: OpenflowVersion;
  readonly connectionId: ConnectionId;
  readonly remote: string;
  /** `closed by peer`, `keepalive timeout: ...`, `replaced by ...`, `malformed message ...` */
  readonly reason: string;
}

export interface SwitchMessageFields {
  readonly msgType: OpenflowMessageType;
  readonly datapathId: DatapathId;
  readonly version: OpenflowVersion;
  readonly connectionId: ConnectionId;
  readonly message: OpenflowMessage;
  readonly connection: OpenflowSwitch;
}

/** HIGH: seen before the messages the switch sent right after its handshake. */
export const SwitchUpEvent = defineEvent<SwitchUpFields>()('openflow.switch-up', ['datapathId'], {
  priority: Priority.HIGH,
});

/** HIGH: a switch going down is seen before its messages still queued. */
export const SwitchDownEvent = defineEvent<SwitchDownFields>()('openflow.switch-down', ['datapathId'], {
  priority: Priority.HIGH,
});

export const SwitchMessageEvent = defineEvent<SwitchMessageFields>()('openflow.message', [
  'msgType',
  'datapathId',
]);

/** A SwitchMessageEvent whose message is known to be of type `T`. */
export type SwitchMessageOf<T extends OpenflowMessageType> = EventOf<
  typeof SwitchMessageEvent.type,
  Omit<SwitchMessageFields, 'msgType' | 'message'> & {
    readonly msgType: T;
    readonly message: Extract<OpenflowMessage, { readonly type: T }>;
  }
>;

/**
 * Matches messages of one type (from one switch, or any): the event's `message` comes out
 * narrowed, e.g. `(await scheduler.waitFor(switchMessage('error', dpid))).message.errType`.
 */
export function switchMessage<T extends OpenflowMessageType>(
  msgType: T,
  datapathId?: DatapathId,
): Matcher<SwitchMessageOf<T>> {
  const matcher = SwitchMessageEvent.match(datapathId === undefined ? { msgType } : { msgType, datapathId });
  // The index fixes msgType, and msgType is always message.type: the narrowing holds.
  return matcher as unknown as Matcher<SwitchMessageOf<T>>;
}
