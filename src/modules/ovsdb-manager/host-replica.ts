/**
 * What one OVSDB connection says about its host, turned from row changes into bridge and
 * port changes, incrementally: a batch of row changes costs what it touches (plus a set
 * difference of a bridge's port list when that list changes), never a rescan.
 *
 * It keeps the links the Open_vSwitch schema stores one way (Bridge.ports, Port.interfaces)
 * in the other direction too (interface → port → bridge), and what it has reported so far.
 * After a batch it re-derives only the dirty bridges and interfaces and reports the
 * difference, so rows that come back unchanged after a resync report nothing.
 *
 * Bridge.datapath_id and Interface.mac_in_use are ephemeral columns: ovsdb-server does not
 * keep them across a restart, and they read empty until ovs-vswitchd writes them again.
 * An empty value therefore keeps the last one the row had (a real change writes a new
 * value), so a server restart does not take every bridge down and up again.
 */
import { type Datum, interfaceView, isUuid, type Row, type RowChange } from '../../ovsdb';
import { datapathIdFromOvsdb } from './datapath-id';
import {
  type OvsdbBridge,
  OvsdbBridgeEvent,
  type OvsdbChange,
  type OvsdbPort,
  OvsdbPortEvent,
  type PortChange,
} from './events';
import { sameStringMap } from './same-string-map';

/** The tables and columns the manager replicates (less than the IDL's default selection). */
export const OVSDB_MANAGER_TABLES = {
  Open_vSwitch: ['external_ids'],
  Bridge: ['name', 'datapath_id', 'ports'],
  Port: ['name', 'interfaces'],
  Interface: ['name', 'ofport', 'type', 'mac_in_use', 'external_ids', 'options'],
} as const;

interface BridgeRow {
  readonly name: string;
  readonly datapathId: bigint | undefined;
  /** Port uuids; the same array object while the column is unchanged (the IDL keeps it). */
  readonly portsDatum: Datum | undefined;
  readonly ports: readonly string[];
}

const NO_UUIDS: readonly string[] = [];

function uuidList(d: Datum | undefined): readonly string[] {
  if (isUuid(d)) return [d.uuid];
  if (!Array.isArray(d)) return NO_UUIDS;
  const out: string[] = [];
  for (const a of d) if (isUuid(a)) out.push(a.uuid);
  return out;
}

function text(d: Datum | undefined): string | undefined {
  if (typeof d === 'string') return d;
  if (Array.isArray(d) && typeof d[0] === 'string') return d[0];
  return undefined;
}

function record(m: ReadonlyMap<string, string>): Readonly<Record<string, string>> {
  return Object.freeze(Object.fromEntries(m));
}

function samePort(a: OvsdbPort, b: OvsdbPort): boolean {
  return (
    a.name === b.name &&
    a.mac === b.mac &&
    a.type === b.type &&
    a.bridge === b.bridge &&
    a.systemId === b.systemId &&
    sameStringMap(a.externalIds, b.externalIds) &&
    sameStringMap(a.options, b.options)
  );
}

function sameBridge(a: OvsdbBridge | undefined, b: OvsdbBridge | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.datapathId === b.datapathId && a.name === b.name && a.systemId === b.systemId;
}

/** Interface.ofport values that name an OpenFlow port (-1 is a failure; absent is not yet assigned). */
function validPortNo(n: number | undefined): n is number {
  return n !== undefined && n >= 1 && n <= 0xffff;
}

export class HostReplica {
  private systemIdValue: string | undefined;
  private readonly bridgeRows = new Map<string, BridgeRow>();
  private readonly portInterfaces = new Map<string, readonly string[]>();
  private readonly portOwner = new Map<string, string>();
  private readonly interfaceOwner = new Map<string, string>();
  private readonly interfaceRows = new Map<string, Row>();
  /** The last mac_in_use each interface had (ephemeral: empty after a server restart). */
  private readonly interfaceMacs = new Map<string, string>();
  private readonly up = new Map<string, OvsdbBridge>();
  /** Interface uuid → the port reported for it and the uuid of its bridge. */
  private readonly reported = new Map<string, { readonly port: OvsdbPort; readonly bridge: string }>();
  private readonly reportedByBridge = new Map<string, Set<string>>();
  /** While true, nothing is reported (the host is away); rows are still kept current. */
  private silenced = false;

  constructor(readonly connection: string) {}

  get systemId(): string | undefined {
    return this.systemIdValue;
  }

  /** Bridges reported up. */
  bridges(): IterableIterator<OvsdbBridge> {
    return this.up.values();
  }

  /** Ports reported on a bridge (by its uuid). */
  *portsOf(bridgeUuid: string): IterableIterator<OvsdbPort> {
    for (const i of this.reportedByBridge.get(bridgeUuid) ?? []) yield this.reported.get(i)!.port;
  }

  /** Applies one batch of row changes (one OVSDB update); returns what changed, in order. */
  apply(changes: readonly RowChange[]): OvsdbChange[] {
    const bridges = new Set<string>();
    const interfaces = new Set<string>();
    for (const c of changes) {
      switch (c.table) {
        case 'Open_vSwitch':
          this.applySystem(c, bridges);
          break;
        case 'Bridge':
          this.applyBridge(c, bridges, interfaces);
          break;
        case 'Port':
          this.applyPort(c, interfaces);
          break;
        case 'Interface':
          this.applyInterface(c);
          interfaces.add(c.uuid);
          break;
      }
    }
    return this.settle(bridges, interfaces);
  }

  /** Reports every bridge down and every port removed, keeping the rows (the host is away). */
  silence(): OvsdbChange[] {
    this.silenced = true;
    return this.settle(new Set(this.bridgeRows.keys()), new Set(this.interfaceRows.keys()));
  }

  /** Reports whatever differs between what was reported and the rows (after silence(): everything). */
  refresh(): OvsdbChange[] {
    this.silenced = false;
    return this.settle(new Set(this.bridgeRows.keys()), new Set(this.interfaceRows.keys()));
  }

  private applySystem(c: RowChange, bridges: Set<string>): void {
    const ids = c.row?.external_ids;
    const systemId = ids instanceof Map ? (ids.get('system-id') as string | undefined) : undefined;
    if (systemId === this.systemIdValue) return;
    this.systemIdValue = typeof systemId === 'string' ? systemId : undefined;
    for (const b of this.bridgeRows.keys()) bridges.add(b);
  }

  private applyInterface(c: RowChange): void {
    if (c.row === undefined) {
      this.interfaceRows.delete(c.uuid);
      this.interfaceMacs.delete(c.uuid);
      return;
    }
    this.interfaceRows.set(c.uuid, c.row);
    const mac = text(c.row.mac_in_use);
    if (mac !== undefined && mac !== '') this.interfaceMacs.set(c.uuid, mac);
  }

  private applyBridge(c: RowChange, bridges: Set<string>, interfaces: Set<string>): void {
    const before = this.bridgeRows.get(c.uuid);
    bridges.add(c.uuid);
    if (c.row === undefined) {
      this.bridgeRows.delete(c.uuid);
      for (const p of before?.ports ?? NO_UUIDS) this.unlinkPort(c.uuid, p, interfaces);
      return;
    }
    const portsDatum = c.row.ports;
    const sameList = before !== undefined && before.portsDatum === portsDatum;
    const ports = sameList ? before.ports : uuidList(portsDatum);
    this.bridgeRows.set(c.uuid, {
      name: text(c.row.name) ?? '',
      datapathId: datapathIdFromOvsdb(text(c.row.datapath_id)) ?? before?.datapathId,
      portsDatum,
      ports,
    });
    if (sameList) return;
    const now = new Set(ports);
    for (const p of before?.ports ?? NO_UUIDS) if (!now.has(p)) this.unlinkPort(c.uuid, p, interfaces);
    for (const p of ports) {
      if (this.portOwner.get(p) === c.uuid) continue;
      this.portOwner.set(p, c.uuid);
      for (const i of this.portInterfaces.get(p) ?? NO_UUIDS) interfaces.add(i);
    }
  }

  private unlinkPort(bridge: string, port: string, interfaces: Set<string>): void {
    // In one transaction a port may leave one bridge and join another, in either order.
    if (this.portOwner.get(port) !== bridge) return;
    this.portOwner.delete(port);
    for (const i of this.portInterfaces.get(port) ?? NO_UUIDS) interfaces.add(i);
  }

  private applyPort(c: RowChange, interfaces: Set<string>): void {
    const before = this.portInterfaces.get(c.uuid) ?? NO_UUIDS;
    const after = c.row === undefined ? NO_UUIDS : uuidList(c.row.interfaces);
    if (c.row === undefined) this.portInterfaces.delete(c.uuid);
    else this.portInterfaces.set(c.uuid, after);
    for (const i of before) {
      if (this.interfaceOwner.get(i) === c.uuid && !after.includes(i)) this.interfaceOwner.delete(i);
      interfaces.add(i);
    }
    for (const i of after) {
      this.interfaceOwner.set(i, c.uuid);
      interfaces.add(i);
    }
  }

  private wantedBridge(uuid: string): OvsdbBridge | undefined {
    const row = this.bridgeRows.get(uuid);
    if (this.silenced || row?.datapathId === undefined) return undefined;
    return Object.freeze({
      systemId: this.systemIdValue,
      name: row.name,
      datapathId: row.datapathId,
      connection: this.connection,
      uuid,
    });
  }

  private wantedPort(uuid: string): { readonly port: OvsdbPort; readonly bridge: string } | undefined {
    const row = this.interfaceRows.get(uuid);
    if (row === undefined) return undefined;
    const portUuid = this.interfaceOwner.get(uuid);
    const bridgeUuid = portUuid === undefined ? undefined : this.portOwner.get(portUuid);
    const bridge = bridgeUuid === undefined ? undefined : this.up.get(bridgeUuid);
    if (bridge === undefined) return undefined;
    const view = interfaceView(uuid, row);
    if (!validPortNo(view.ofport)) return undefined;
    const port: OvsdbPort = Object.freeze({
      systemId: bridge.systemId,
      bridge: bridge.name,
      datapathId: bridge.datapathId,
      portNo: view.ofport,
      name: view.name,
      mac: this.interfaceMacs.get(uuid),
      type: view.type,
      externalIds: record(view.externalIds),
      options: record(view.options),
      interfaceUuid: uuid,
    });
    return { port, bridge: bridgeUuid! };
  }

  private settle(bridges: ReadonlySet<string>, interfaces: Set<string>): OvsdbChange[] {
    const out: OvsdbChange[] = [];
    for (const b of bridges) {
      const want = this.wantedBridge(b);
      const had = this.up.get(b);
      if (sameBridge(want, had)) continue;
      if (had !== undefined) {
        // Ports go before their bridge, so a listener never holds a port of a bridge that is down.
        for (const i of this.reportedByBridge.get(b) ?? []) out.push(this.unreport(i));
        this.up.delete(b);
        out.push(
          OvsdbBridgeEvent.create({
            state: 'down',
            datapathId: had.datapathId,
            systemId: had.systemId,
            bridge: had,
          }),
        );
      }
      if (want !== undefined) {
        this.up.set(b, want);
        out.push(
          OvsdbBridgeEvent.create({
            state: 'up',
            datapathId: want.datapathId,
            systemId: want.systemId,
            bridge: want,
          }),
        );
        for (const p of this.bridgeRows.get(b)?.ports ?? NO_UUIDS)
          for (const i of this.portInterfaces.get(p) ?? NO_UUIDS) interfaces.add(i);
      }
    }
    for (const i of interfaces) {
      const want = this.silenced ? undefined : this.wantedPort(i);
      const had = this.reported.get(i)?.port;
      if (had === undefined && want === undefined) continue;
      if (
        had !== undefined &&
        want !== undefined &&
        had.datapathId === want.port.datapathId &&
        had.portNo === want.port.portNo
      ) {
        if (!samePort(had, want.port)) out.push(this.report(want.port, want.bridge, 'updated', had));
        continue;
      }
      if (had !== undefined) out.push(this.unreport(i));
      if (want !== undefined) out.push(this.report(want.port, want.bridge, 'added', undefined));
    }
    return out;
  }

  private report(
    port: OvsdbPort,
    bridgeUuid: string,
    change: PortChange,
    old: OvsdbPort | undefined,
  ): OvsdbChange {
    const before = this.reported.get(port.interfaceUuid)?.bridge;
    // Two bridges of one host with one datapath id (a misconfiguration) let an update move bridges.
    if (before !== undefined && before !== bridgeUuid) this.unlistReported(before, port.interfaceUuid);
    this.reported.set(port.interfaceUuid, { port, bridge: bridgeUuid });
    let set = this.reportedByBridge.get(bridgeUuid);
    if (set === undefined) {
      set = new Set();
      this.reportedByBridge.set(bridgeUuid, set);
    }
    set.add(port.interfaceUuid);
    return OvsdbPortEvent.create({
      change,
      datapathId: port.datapathId,
      portNo: port.portNo,
      name: port.name,
      port,
      old,
    });
  }

  private unreport(uuid: string): OvsdbChange {
    const { port, bridge } = this.reported.get(uuid)!;
    this.reported.delete(uuid);
    this.unlistReported(bridge, uuid);
    return OvsdbPortEvent.create({
      change: 'removed',
      datapathId: port.datapathId,
      portNo: port.portNo,
      name: port.name,
      port,
      old: undefined,
    });
  }

  private unlistReported(bridge: string, uuid: string): void {
    const set = this.reportedByBridge.get(bridge);
    set?.delete(uuid);
    if (set?.size === 0) this.reportedByBridge.delete(bridge);
  }
}
