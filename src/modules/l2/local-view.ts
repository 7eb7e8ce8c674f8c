/**
 * The l2 module's local view: for each logical network with a logical port bound on a
 * local datapath, the network's viperflow objects (kept current by one watchLogicalNetwork
 * per such network) joined with the port bindings; and for each local interface that is no
 * logical port, the physical network it carries (by name, one small watch per interface).
 * Bindings and objects may come in any order — an OVS port before its logical port is
 * created, or after. Each change marks only the networks it touches dirty; the owner of
 * the view recompiles those (see L2Flows).
 */
import type { JsonValue, Key, ObjectDb, Watch } from '../../objectdb';
import type { Ipv4Address } from '../../openflow/packet/ipv4-address';
import { isIpv4 } from '../../openflow/packet/ipv4-address';
import type { PortBinding, PortBindingChange, PortBindings } from '../port-binding';
import { idOfKey, mapKey, objectKey, watchLogicalNetwork } from '../viperflow';
import { LOCATION_PREFIX, locationKey, vtepKey } from './l2-keys';
import {
  asObject,
  type NetworkData,
  type PortData,
  parseNetwork,
  parseTunnels,
  refKey,
  type TunnelData,
} from './network-data';
import type { LocalLogicalPort, NetworkView, RemoteLogicalPort } from './network-view';
import { physicalPortCandidates } from './physical-port-keys';
import { Placements } from './placements';
import { networksOfRouter, routersOfNetwork, watchRouterLinks } from './router-links';

interface NetworkEntry {
  /** Bound logical ports (any local datapath) whose object names this network. */
  readonly localIds: Set<string>;
  watch: Watch | undefined;
  closed: boolean;
  data: NetworkData | undefined;
  /** vxlan only: the watch of the ports' locations and the hosts' VTEPs. */
  tunnels: { watch: Watch | undefined; closed: boolean; data: TunnelData } | undefined;
  /** Remote port objects with their VTEP, reused while unchanged (the compile cache keys on them). */
  readonly remoteObjects: Map<string, RemoteLogicalPort>;
  /** The routers the network's subnets are attached to (from its watch). */
  routers: readonly string[];
  /** The routers whose links this network keeps watched: its routers while it has local ports. */
  readonly usedRouters: Set<string>;
}

/** A router linking a network with local ports to others: which networks it links. */
interface RouterEntry {
  watch: Watch | undefined;
  closed: boolean;
  /** Networks whose subnets are attached to the router. */
  networks: ReadonlySet<string>;
  /** Networks with local ports that use the router (it is watched while any does). */
  readonly users: Set<string>;
}

interface LogicalPortEntry {
  watch: Watch | undefined;
  closed: boolean;
  /** The network the logical port object names; undefined while it does not exist. */
  networkId: string | undefined;
}

interface PhysicalEntry {
  readonly binding: PortBinding;
  watch: Watch | undefined;
  closed: boolean;
  physicalNetworkId: string | undefined;
}

type Log = (msg: string, err?: unknown) => void;

export class LocalView {
  private readonly networks = new Map<string, NetworkEntry>();
  private readonly logicalPorts = new Map<string, LogicalPortEntry>();
  private readonly physical = new Map<string, PhysicalEntry>();
  private readonly routers = new Map<string, RouterEntry>();
  /** Local port objects by `dpid/lpId`, reused while unchanged (the compile cache keys on them). */
  private readonly localObjects = new Map<string, LocalLogicalPort>();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly db: ObjectDb,
    private readonly bindings: PortBindings,
    /**
     * Called (synchronously, possibly often) with networks whose flows may have changed;
     * `placementOnly`: only the set of datapaths that need them may have (a router link), not
     * what they are on a datapath.
     */
    private readonly onDirty: (networkId: string, placementOnly?: boolean) => void,
    private readonly log: Log = () => undefined,
  ) {}

  start(): void {
    // Read, then subscribe in the same tick: nothing missed or seen twice.
    for (const b of this.bindings.list()) this.added(b);
    this.unsubscribe = this.bindings.subscribe((changes) => {
      for (const c of changes) this.changed(c);
    });
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    for (const e of this.logicalPorts.values()) this.closeEntry(e);
    for (const e of this.networks.values()) {
      this.closeEntry(e);
      if (e.tunnels !== undefined) this.closeEntry(e.tunnels);
    }
    for (const e of this.physical.values()) this.closeEntry(e);
    for (const e of this.routers.values()) this.closeEntry(e);
    this.routers.clear();
    this.logicalPorts.clear();
    this.networks.clear();
    this.physical.clear();
  }

  /** Networks the view tracks (with local ports, routed to from one, or just lost them). */
  networkIds(): string[] {
    return [...this.networks.keys()];
  }

  /** Whether the network has a bound logical port on this host. */
  hasLocalPorts(networkId: string): boolean {
    return (this.networks.get(networkId)?.localIds.size ?? 0) > 0;
  }

  /** Networks linked to this one by a watched router (one that a network with local ports uses). */
  peersOf(networkId: string): Set<string> {
    const out = new Set<string>();
    for (const r of this.routers.values()) {
      if (!r.networks.has(networkId)) continue;
      for (const id of r.networks) if (id !== networkId) out.add(id);
    }
    return out;
  }

  /** The nwid of a network, once its objects are known. */
  nwidOf(networkId: string): number | undefined {
    return this.networks.get(networkId)?.data?.nwid;
  }

  /** The datapaths where the network has bound logical ports. */
  localDatapathsOf(networkId: string): Set<bigint> {
    const out = new Set<bigint>();
    const n = this.networks.get(networkId);
    if (n === undefined) return out;
    for (const id of n.localIds) for (const b of this.bindings.whereIs(id)) out.add(b.datapathId);
    return out;
  }

  /** The datapaths that need the network's flows (see Placements; one pass: use one Placements). */
  datapathsOf(networkId: string): Set<bigint> {
    return new Placements(this).datapathsOf(networkId);
  }

  /** Forgets a network with no local port left and no router link (after its flows were withdrawn). */
  release(networkId: string): void {
    const n = this.networks.get(networkId);
    if (n === undefined || n.localIds.size > 0) return;
    for (const r of this.routers.values()) if (r.networks.has(networkId)) return;
    this.closeEntry(n);
    this.updateRouterUse(networkId);
    if (n.tunnels !== undefined) this.closeEntry(n.tunnels);
    this.networks.delete(networkId);
  }

  /** The compiler's input for one network on one datapath; undefined until its objects are known. */
  view(networkId: string, datapathId: bigint): NetworkView | undefined {
    const n = this.networks.get(networkId);
    const data = n?.data;
    if (n === undefined || data === undefined) return undefined;
    const localPorts = new Map<string, LocalLogicalPort>();
    for (const id of n.localIds) {
      const port = data.ports.get(id);
      if (port === undefined) continue; // Not in the network's map yet (or leaving it).
      const b = this.bindings.whereIs(id).find((x) => x.datapathId === datapathId);
      if (b === undefined) continue;
      localPorts.set(id, this.localObject(datapathId, b.portNo, port));
    }
    const remotePorts = new Map<string, RemoteLogicalPort>();
    const tunnels = data.type === 'vxlan' ? n.tunnels?.data : undefined;
    const ownSystemId =
      tunnels === undefined
        ? undefined
        : this.bindings.list({ datapathId }).find((b) => b.systemId !== undefined)?.systemId;
    const floodVteps = new Set<Ipv4Address>();
    for (const [id, p] of data.ports) {
      if (localPorts.has(id)) continue;
      if (tunnels === undefined) {
        remotePorts.set(id, p);
        continue;
      }
      const host = tunnels.locations.get(id);
      const vtep = host === undefined || host === ownSystemId ? undefined : tunnels.vteps.get(host);
      if (vtep !== undefined) floodVteps.add(vtep);
      remotePorts.set(id, this.remoteObject(n, p, vtep));
    }
    let uplink: number | undefined;
    for (const e of this.physical.values()) {
      if (e.binding.datapathId !== datapathId || e.physicalNetworkId !== data.physicalNetworkId) continue;
      // Two interfaces on one physical network would loop floods: the lowest number carries it.
      if (uplink === undefined || e.binding.portNo < uplink) uplink = e.binding.portNo;
    }
    return {
      id: networkId,
      nwid: data.nwid,
      type: data.type,
      ...(data.vlanid !== undefined ? { vlanid: data.vlanid } : {}),
      ...(data.vni !== undefined ? { vni: data.vni } : {}),
      localPorts,
      remotePorts,
      ...(uplink !== undefined ? { uplink } : {}),
      ...(tunnels !== undefined ? { floodVteps: [...floodVteps].sort() } : {}),
    };
  }

  private remoteObject(
    n: NetworkEntry,
    p: RemoteLogicalPort,
    vtep: Ipv4Address | undefined,
  ): RemoteLogicalPort {
    const old = n.remoteObjects.get(p.id);
    if (old !== undefined && old.mac === p.mac && old.vtep === vtep) return old;
    const obj: RemoteLogicalPort = Object.freeze({
      id: p.id,
      mac: p.mac,
      ...(vtep !== undefined ? { vtep } : {}),
    });
    n.remoteObjects.set(p.id, obj);
    return obj;
  }

  private localObject(datapathId: bigint, portNo: number, p: PortData): LocalLogicalPort {
    const key = `${datapathId}/${p.id}`;
    const old = this.localObjects.get(key);
    if (
      old !== undefined &&
      old.portNo === portNo &&
      old.mac === p.mac &&
      old.ip === p.ip &&
      old.pairs === p.pairs
    )
      return old;
    const obj: LocalLogicalPort = Object.freeze({
      id: p.id,
      portNo,
      mac: p.mac,
      ...(p.ip !== undefined ? { ip: p.ip } : {}),
      ...(p.pairs !== undefined ? { pairs: p.pairs } : {}),
    });
    this.localObjects.set(key, obj);
    return obj;
  }

  private changed(c: PortBindingChange): void {
    if (c.change === 'removed') this.removed(c.binding);
    else if (c.change === 'added') this.added(c.binding);
    else {
      // Same logical port (or same interface name): only the port's details changed.
      if (c.old !== undefined) this.removed(c.old);
      this.added(c.binding);
    }
  }

  private added(b: PortBinding): void {
    if (b.logicalPortId !== undefined && b.systemId !== undefined)
      this.publishLocation(b.logicalPortId, b.systemId);
    if (b.tunnel?.type === 'vxlan' && b.systemId !== undefined) {
      const ip = b.tunnel.localIp;
      if (ip !== undefined && isIpv4(ip)) this.publishVtep(b.systemId, ip);
    }
    if (b.logicalPortId !== undefined) {
      const id = b.logicalPortId;
      const e = this.logicalPorts.get(id);
      if (e === undefined) this.watchLogicalPort(id);
      else if (e.networkId !== undefined) this.onDirty(e.networkId);
    } else if (b.physicalPortName !== undefined) {
      // Physical interfaces and tunnel ports alike bind to a physical network by name.
      this.watchPhysical(b);
    }
  }

  private publishLocation(logicalPortId: string, systemId: string): void {
    const key = locationKey(logicalPortId);
    this.db
      .transact([key], (v) =>
        asObject(v.get(key))?.systemid === systemId
          ? {}
          : { [key]: { logicalport: logicalPortId, systemid: systemId } },
      )
      .catch((err) => this.log(`cannot publish where logical port ${logicalPortId} is`, err));
  }

  private unpublishLocation(logicalPortId: string, systemId: string): void {
    const key = locationKey(logicalPortId);
    this.db
      // Another host may have taken the port meanwhile (a VM migrated): leave its entry.
      .transact([key], (v) => (asObject(v.get(key))?.systemid === systemId ? { [key]: null } : {}))
      .catch((err) => this.log(`cannot withdraw where logical port ${logicalPortId} is`, err));
  }

  private publishVtep(systemId: string, address: Ipv4Address): void {
    const key = vtepKey(systemId);
    this.db
      .transact([key], (v) =>
        asObject(v.get(key))?.address === address ? {} : { [key]: { systemid: systemId, address } },
      )
      .catch((err) => this.log(`cannot publish the VTEP of ${systemId}`, err));
  }

  private removed(b: PortBinding): void {
    if (b.logicalPortId !== undefined) {
      const id = b.logicalPortId;
      const e = this.logicalPorts.get(id);
      if (e === undefined) return;
      if (e.networkId !== undefined) this.onDirty(e.networkId);
      this.localObjects.delete(`${b.datapathId}/${id}`);
      if (this.bindings.whereIs(id).length > 0) return; // Still bound elsewhere.
      if (b.systemId !== undefined) this.unpublishLocation(id, b.systemId);
      this.closeEntry(e);
      this.logicalPorts.delete(id);
      this.leaveNetwork(id, e.networkId);
    } else {
      const key = `${b.datapathId}/${b.portNo}`;
      const e = this.physical.get(key);
      if (e === undefined || e.binding.name !== b.name) return;
      this.closeEntry(e);
      this.physical.delete(key);
      this.physicalNetworkDirty(e.physicalNetworkId);
    }
  }

  private watchLogicalPort(id: string): void {
    const e: LogicalPortEntry = { watch: undefined, closed: false, networkId: undefined };
    this.logicalPorts.set(id, e);
    const key = objectKey('logicalport', id);
    this.db.watch([key]).then(
      (w) => {
        if (e.closed) return w.close();
        e.watch = w;
        w.changes().subscribe((s) => this.logicalPortSnapshot(id, e, s.values.get(key)));
      },
      (err) => this.log(`cannot watch logical port ${id}`, err),
    );
  }

  private logicalPortSnapshot(id: string, e: LogicalPortEntry, value: JsonValue | null | undefined): void {
    if (e.closed) return;
    const ref = refKey(asObject(value)?.network);
    const networkId = ref === undefined ? undefined : (idOfKey('logicalnetwork', ref) ?? undefined);
    if (networkId === e.networkId) return;
    this.leaveNetwork(id, e.networkId);
    e.networkId = networkId;
    if (networkId === undefined) return;
    const n = this.ensureNetwork(networkId);
    n.localIds.add(id);
    this.updateRouterUse(networkId);
    this.onDirty(networkId);
  }

  private ensureNetwork(networkId: string): NetworkEntry {
    let n = this.networks.get(networkId);
    if (n === undefined) {
      n = {
        localIds: new Set(),
        watch: undefined,
        closed: false,
        data: undefined,
        tunnels: undefined,
        remoteObjects: new Map(),
        routers: [],
        usedRouters: new Set(),
      };
      this.networks.set(networkId, n);
      this.watchNetwork(networkId, n);
    }
    return n;
  }

  /** Watches the routers of a network with local ports, and stops watching those it left. */
  private updateRouterUse(networkId: string): void {
    const n = this.networks.get(networkId);
    if (n === undefined) return;
    const want = new Set(n.localIds.size > 0 && !n.closed ? n.routers : []);
    for (const r of [...n.usedRouters]) {
      if (want.has(r)) continue;
      n.usedRouters.delete(r);
      const e = this.routers.get(r);
      if (e === undefined) continue;
      e.users.delete(networkId);
      if (e.users.size === 0) {
        this.closeEntry(e);
        this.routers.delete(r);
      }
      // The router's networks lose (or keep, through another user) this network's datapaths.
      for (const id of e.networks) this.onDirty(id, true);
    }
    for (const r of want) {
      if (n.usedRouters.has(r)) continue;
      n.usedRouters.add(r);
      const e = this.routers.get(r);
      if (e === undefined) {
        this.watchRouter(r).users.add(networkId);
        continue;
      }
      e.users.add(networkId);
      for (const id of e.networks) this.onDirty(id, true);
    }
  }

  private watchRouter(routerId: string): RouterEntry {
    const e: RouterEntry = { watch: undefined, closed: false, networks: new Set(), users: new Set() };
    this.routers.set(routerId, e);
    watchRouterLinks(this.db, routerId).then(
      (w) => {
        if (e.closed) return w.close();
        e.watch = w;
        w.changes().subscribe((s) => {
          if (e.closed) return;
          const now = networksOfRouter(routerId, s.values);
          const before = e.networks;
          if (now.size === before.size && [...now].every((id) => before.has(id))) return;
          e.networks = now;
          for (const id of now) this.ensureNetwork(id);
          // An attach or detach changes where each of the router's networks is needed.
          for (const id of new Set([...before, ...now])) this.onDirty(id, true);
        });
      },
      (err) => this.log(`cannot watch the networks of virtual router ${routerId}`, err),
    );
    return e;
  }

  private leaveNetwork(id: string, networkId: string | undefined): void {
    if (networkId === undefined) return;
    const n = this.networks.get(networkId);
    if (n === undefined) return;
    n.localIds.delete(id);
    this.updateRouterUse(networkId);
    // The entry stays until its flows are withdrawn (release()).
    this.onDirty(networkId);
  }

  private watchNetwork(networkId: string, n: NetworkEntry): void {
    if (this.stopped) return;
    watchLogicalNetwork(this.db, networkId).then(
      (w) => {
        if (n.closed) return w.close();
        n.watch = w;
        w.changes().subscribe((s) => {
          if (n.closed) return;
          n.data = parseNetwork(networkId, s, n.data);
          n.routers = routersOfNetwork(s.values);
          this.updateRouterUse(networkId);
          if (n.data?.type === 'vxlan' && n.tunnels === undefined) this.watchTunnels(networkId, n);
          this.onDirty(networkId);
        });
      },
      (err) => this.log(`cannot watch logical network ${networkId}`, err),
    );
  }

  /** vxlan: watches where each port of the network is bound, and those hosts' VTEPs. */
  private watchTunnels(networkId: string, n: NetworkEntry): void {
    const t: NonNullable<NetworkEntry['tunnels']> = {
      watch: undefined,
      closed: false,
      data: { locations: new Map(), vteps: new Map() },
    };
    n.tunnels = t;
    const root = mapKey('logicalnetwork', networkId);
    this.db
      .watchWalk([root], (key, value) => {
        if (key === root) {
          const ports = asObject(value)?.ports;
          const out: Key[] = [];
          for (const r of Array.isArray(ports) ? ports : []) {
            const id = idOfKey('logicalport', refKey(r) ?? '');
            if (id !== null) out.push(locationKey(id));
          }
          return out;
        }
        const host = asObject(value)?.systemid;
        return key.startsWith(LOCATION_PREFIX) && typeof host === 'string' ? [vtepKey(host)] : [];
      })
      .then(
        (w) => {
          if (t.closed || n.closed) return w.close();
          t.watch = w;
          w.changes().subscribe((s) => {
            if (t.closed) return;
            t.data = parseTunnels(s);
            this.onDirty(networkId);
          });
        },
        (err) => this.log(`cannot watch the VTEPs of logical network ${networkId}`, err),
      );
  }

  private watchPhysical(b: PortBinding): void {
    const key = `${b.datapathId}/${b.portNo}`;
    const old = this.physical.get(key);
    if (old !== undefined) {
      this.closeEntry(old);
      this.physical.delete(key);
    }
    const e: PhysicalEntry = { binding: b, watch: undefined, closed: false, physicalNetworkId: undefined };
    this.physical.set(key, e);
    const keys = physicalPortCandidates(b);
    this.db.watch(keys).then(
      (w) => {
        if (e.closed) return w.close();
        e.watch = w;
        w.changes().subscribe((s) => {
          if (e.closed) return;
          const obj = keys.map((k) => asObject(s.values.get(k))).find((v) => v !== undefined);
          const ref = refKey(obj?.physicalnetwork);
          const id = ref === undefined ? undefined : (idOfKey('physicalnetwork', ref) ?? undefined);
          if (id === e.physicalNetworkId) return;
          const before = e.physicalNetworkId;
          e.physicalNetworkId = id;
          this.physicalNetworkDirty(before);
          this.physicalNetworkDirty(id);
        });
      },
      (err) => this.log(`cannot watch physical port ${b.name}`, err),
    );
  }

  private physicalNetworkDirty(physicalNetworkId: string | undefined): void {
    if (physicalNetworkId === undefined) return;
    for (const [id, n] of this.networks)
      if (n.data?.physicalNetworkId === physicalNetworkId) this.onDirty(id);
  }

  private closeEntry(e: { watch: Watch | undefined; closed: boolean }): void {
    e.closed = true;
    e.watch?.close();
    e.watch = undefined;
  }
}
