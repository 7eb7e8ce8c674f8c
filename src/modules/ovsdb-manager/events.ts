/**
 * What the OVSDB manager reports about each host's switches: bridges coming up and going
 * down (with their datapath id), and OpenFlow ports added, updated and removed per datapath.
 * Every change goes on the event core and, synchronously and in the same order, to the
 * listeners of OvsdbManagerService.
 */
import { defineEvent, type EventOf } from '../../async';

/** A bridge whose datapath id is known. */
export interface OvsdbBridge {
  /** The host's `Open_vSwitch external_ids:system-id`; undefined when the host has none. */
  readonly systemId: string | undefined;
  readonly name: string;
  readonly datapathId: bigint;
  /** The OVSDB connection it was learnt through (the configured endpoint, or the remote of a passive one). */
  readonly connection: string;
  readonly uuid: string;
}

/** An interface of a bridge that has an OpenFlow port number. */
export interface OvsdbPort {
  readonly systemId: string | undefined;
  readonly bridge: string;
  readonly datapathId: bigint;
  /** Interface.ofport (1..65279, or 65534 for the bridge's own LOCAL port). */
  readonly portNo: number;
  /** Interface.name. */
  readonly name: string;
  /** Interface.mac_in_use. */
  readonly mac: string | undefined;
  /** Interface.type: '' (a system device), internal, dummy, vxlan, geneve, patch, ... */
  readonly type: string;
  /** Interface.external_ids (iface-id, attached-mac, vm-uuid, ...). */
  readonly externalIds: Readonly<Record<string, string>>;
  /** Interface.options (remote_ip, local_ip, key, dst_port for tunnels; peer for patch ports). */
  readonly options: Readonly<Record<string, string>>;
  readonly interfaceUuid: string;
}

export type BridgeState = 'up' | 'down';
export type PortChange = 'added' | 'updated' | 'removed';

export const OvsdbBridgeEvent = defineEvent<{
  readonly state: BridgeState;
  readonly datapathId: bigint;
  readonly systemId: string | undefined;
  readonly bridge: OvsdbBridge;
}>()('ovsdbmanager.bridge', ['datapathId', 'state', 'systemId']);

/**
 * A port's change on one datapath. A port that moves to another number or datapath is
 * `removed` there and `added` here; `updated` keeps datapath and number (`old` is the port before).
 */
export const OvsdbPortEvent = defineEvent<{
  readonly change: PortChange;
  readonly datapathId: bigint;
  readonly portNo: number;
  readonly name: string;
  readonly port: OvsdbPort;
  readonly old: OvsdbPort | undefined;
}>()('ovsdbmanager.port', ['datapathId', 'change', 'portNo', 'name']);

export type OvsdbBridgeChange = EventOf<
  typeof OvsdbBridgeEvent.type,
  Parameters<typeof OvsdbBridgeEvent.create>[0]
>;
export type OvsdbPortChange = EventOf<
  typeof OvsdbPortEvent.type,
  Parameters<typeof OvsdbPortEvent.create>[0]
>;
export type OvsdbChange = OvsdbBridgeChange | OvsdbPortChange;
