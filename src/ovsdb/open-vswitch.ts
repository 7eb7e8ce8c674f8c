/**
 * Typed views of the Open_vSwitch tables a controller needs, read from an IDL replica.
 * Only the columns used are typed; `row` keeps the rest.
 */
import { type Datum, isUuid, type Uuid } from './datum';
import type { Idl, Row } from './idl';

export const OPEN_VSWITCH_TABLES = {
  Open_vSwitch: ['bridges', 'external_ids', 'ovs_version'],
  Bridge: [
    'name',
    'datapath_id',
    'ports',
    'controller',
    'protocols',
    'fail_mode',
    'datapath_type',
    'external_ids',
  ],
  Port: ['name', 'interfaces', 'tag', 'external_ids'],
  Interface: ['name', 'ofport', 'type', 'mac_in_use', 'external_ids', 'options', 'error'],
  Controller: ['target', 'is_connected', 'role'],
  Manager: ['target', 'is_connected'],
} as const;

function str(d: Datum | undefined): string | undefined {
  if (typeof d === 'string') return d;
  if (Array.isArray(d) && typeof d[0] === 'string') return d[0];
  return undefined;
}

function num(d: Datum | undefined): number | undefined {
  if (typeof d === 'number') return d;
  if (Array.isArray(d) && typeof d[0] === 'number') return d[0];
  return undefined;
}

function uuids(d: Datum | undefined): string[] {
  if (isUuid(d)) return [d.uuid];
  return Array.isArray(d) ? d.filter(isUuid).map((u: Uuid) => u.uuid) : [];
}

function stringMap(d: Datum | undefined): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  if (d instanceof Map) for (const [k, v] of d) out.set(String(k), String(v));
  return out;
}

export interface BridgeView {
  readonly uuid: string;
  readonly name: string;
  /** 16 hex digits, as OVS reports it. */
  readonly datapathId: string | undefined;
  readonly ports: readonly string[];
  readonly externalIds: ReadonlyMap<string, string>;
  readonly row: Row;
}

export interface InterfaceView {
  readonly uuid: string;
  readonly name: string;
  /** OpenFlow port number; undefined until assigned, -1 on failure. */
  readonly ofport: number | undefined;
  readonly type: string;
  readonly mac: string | undefined;
  readonly externalIds: ReadonlyMap<string, string>;
  readonly options: ReadonlyMap<string, string>;
  /** The logical port bound here (`external_ids:iface-id`). */
  readonly ifaceId: string | undefined;
  readonly row: Row;
}

export function bridges(idl: Idl): BridgeView[] {
  return [...idl.rows('Bridge')].map(([uuid, row]) => ({
    uuid,
    name: str(row.name) ?? '',
    datapathId: str(row.datapath_id),
    ports: uuids(row.ports),
    externalIds: stringMap(row.external_ids),
    row,
  }));
}

export function interfaces(idl: Idl): InterfaceView[] {
  return [...idl.rows('Interface')].map(([uuid, row]) => interfaceView(uuid, row));
}

export function interfaceView(uuid: string, row: Row): InterfaceView {
  const externalIds = stringMap(row.external_ids);
  return {
    uuid,
    name: str(row.name) ?? '',
    ofport: num(row.ofport),
    type: str(row.type) ?? '',
    mac: str(row.mac_in_use),
    externalIds,
    options: stringMap(row.options),
    ifaceId: externalIds.get('iface-id'),
    row,
  };
}

/** The interfaces of one bridge (through its ports). */
export function bridgeInterfaces(idl: Idl, bridge: BridgeView): InterfaceView[] {
  const out: InterfaceView[] = [];
  for (const p of bridge.ports) {
    const port = idl.row('Port', p);
    for (const i of uuids(port?.interfaces)) {
      const row = idl.row('Interface', i);
      if (row !== undefined) out.push(interfaceView(i, row));
    }
  }
  return out;
}

function bool(d: Datum | undefined): boolean | undefined {
  if (typeof d === 'boolean') return d;
  if (Array.isArray(d) && typeof d[0] === 'boolean') return d[0];
  return undefined;
}

/** The one row of table Open_vSwitch: the switch as a whole. */
export interface OpenVswitchView {
  readonly uuid: string;
  /** `external_ids:system-id`: how controllers tell hosts apart. */
  readonly systemId: string | undefined;
  readonly ovsVersion: string | undefined;
  readonly bridges: readonly string[];
  readonly externalIds: ReadonlyMap<string, string>;
  readonly row: Row;
}

export interface PortView {
  readonly uuid: string;
  readonly name: string;
  readonly interfaces: readonly string[];
  /** Access VLAN, if any. */
  readonly tag: number | undefined;
  readonly externalIds: ReadonlyMap<string, string>;
  readonly row: Row;
}

export interface ControllerView {
  readonly uuid: string;
  /** `tcp:IP:PORT`, `ssl:...`, `unix:...`. */
  readonly target: string;
  readonly isConnected: boolean;
  /** `master`, `slave` or `other` once connected. */
  readonly role: string | undefined;
  readonly row: Row;
}

export interface ManagerView {
  readonly uuid: string;
  readonly target: string;
  readonly isConnected: boolean;
  readonly row: Row;
}

/** The Open_vSwitch row, or undefined before the replica has it. */
export function openVswitch(idl: Idl): OpenVswitchView | undefined {
  const first = idl.rows('Open_vSwitch').entries().next();
  if (first.done) return undefined;
  const [uuid, row] = first.value;
  const externalIds = stringMap(row.external_ids);
  return {
    uuid,
    systemId: externalIds.get('system-id'),
    ovsVersion: str(row.ovs_version),
    bridges: uuids(row.bridges),
    externalIds,
    row,
  };
}

export function ports(idl: Idl): PortView[] {
  return [...idl.rows('Port')].map(([uuid, row]) => portView(uuid, row));
}

export function portView(uuid: string, row: Row): PortView {
  return {
    uuid,
    name: str(row.name) ?? '',
    interfaces: uuids(row.interfaces),
    tag: num(row.tag),
    externalIds: stringMap(row.external_ids),
    row,
  };
}

export function controllers(idl: Idl): ControllerView[] {
  return [...idl.rows('Controller')].map(([uuid, row]) => controllerView(uuid, row));
}

function controllerView(uuid: string, row: Row): ControllerView {
  return {
    uuid,
    target: str(row.target) ?? '',
    isConnected: bool(row.is_connected) ?? false,
    role: str(row.role),
    row,
  };
}

/** The controllers one bridge connects to. */
export function bridgeControllers(idl: Idl, bridge: BridgeView): ControllerView[] {
  const out: ControllerView[] = [];
  for (const c of uuids(bridge.row.controller)) {
    const row = idl.row('Controller', c);
    if (row !== undefined) out.push(controllerView(c, row));
  }
  return out;
}

export function managers(idl: Idl): ManagerView[] {
  return [...idl.rows('Manager')].map(([uuid, row]) => ({
    uuid,
    target: str(row.target) ?? '',
    isConnected: bool(row.is_connected) ?? false,
    row,
  }));
}
