/**
 * The ARP responder's incremental engine. Inputs: port bindings (which logical ports are
 * plugged in on which local datapath) and ObjectDB (which network each bound logical port
 * is in; each relevant network with its subnets and ports). Output: per (datapath,
 * network) the FlowSync owner `arp:<nwid>`, and per datapath `arp:uplinks`.
 *
 * A network is relevant on a datapath while at least one of its logical ports is bound
 * there; only relevant networks are watched. A change to one network recompiles that
 * network only and redeclares its owner on the datapaths where it is relevant.
 */
import type { Logger } from 'pino';
import { isRef, type JsonObject, type ObjectDb, type Watch } from '../../objectdb';
import type { MacAddress } from '../../openflow/packet/mac-address';
import { type DatapathId, toDatapathId } from '../../openflow/protocol';
import type { Flow, Flow13, FlowSyncApi } from '../flowsync';
import type { PortBindingChange, PortBindings } from '../port-binding';
import { idOfKey, objectKey, watchLogicalNetwork } from '../viperflow';
import { type ArpTables, arpFlows } from './arp-flows';
import type { ArpNetwork } from './arp-network';
import { uplinkFlows, uplinkPorts } from './arp-uplinks';
import { arpNetworkFromView } from './network-view';

export const UPLINK_OWNER = 'arp:uplinks';

export function networkOwner(nwid: number): string {
  return `arp:${nwid}`;
}

export interface ArpResponderDeps {
  readonly db: ObjectDb;
  readonly bindings: PortBindings;
  readonly sync: FlowSyncApi;
  readonly tables: ArpTables;
  readonly gatewayMac: MacAddress;
  readonly logger: Pick<Logger, 'error' | 'warn' | 'debug'>;
}

/** Counts per datapath. */
class Presence {
  private readonly counts = new Map<DatapathId, number>();
  /** True when the datapath was not counted before. */
  add(dpid: DatapathId): boolean {
    const n = this.counts.get(dpid) ?? 0;
    this.counts.set(dpid, n + 1);
    return n === 0;
  }
  /** True when the datapath is no longer counted. */
  remove(dpid: DatapathId): boolean {
    const n = this.counts.get(dpid) ?? 0;
    if (n <= 1) {
      this.counts.delete(dpid);
      return n === 1;
    }
    this.counts.set(dpid, n - 1);
    return false;
  }
  get datapaths(): DatapathId[] {
    return [...this.counts.keys()];
  }
  get empty(): boolean {
    return this.counts.size === 0;
  }
}

/** A bound logical port: where it is bound, and the network its object names. */
interface PortState {
  readonly bound: Presence;
  networkId: string | undefined;
  watch: Watch | undefined;
  closed: boolean;
}

/** A relevant network: where it is relevant, and what was declared for it. */
interface NetworkState {
  readonly present: Presence;
  watch: Watch | undefined;
  closed: boolean;
  network: ArpNetwork | undefined;
  flows: Flow<Flow13>[];
  /** Flows per owner of the last compile (valid for `network.nwid`). */
  readonly cache: Map<string, Flow<Flow13>[]>;
}

export class ArpResponder {
  private readonly ports = new Map<string, PortState>();
  private readonly networks = new Map<string, NetworkState>();
  private readonly uplinks = new Map<DatapathId, string>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: ArpResponderDeps) {}

  /** Reads the current bindings and follows their changes (same tick: nothing missed). */
  start(): void {
    const { bindings } = this.deps;
    const datapaths = new Set<DatapathId>();
    for (const b of bindings.list()) {
      const dpid = toDatapathId(b.datapathId);
      datapaths.add(dpid);
      if (b.logicalPortId !== undefined) this.portBound(b.logicalPortId, dpid);
    }
    for (const dpid of datapaths) this.refreshUplinks(dpid);
    this.unsubscribe = bindings.subscribe((changes) => this.onBindings(changes));
  }

  stop(): void {
    this.unsubscribe?.();
    for (const p of this.ports.values()) this.closePort(p);
    for (const n of this.networks.values()) this.closeNetwork(n);
    this.ports.clear();
    this.networks.clear();
  }

  /** Networks watched now (for tests and metrics). */
  get watchedNetworks(): number {
    return this.networks.size;
  }

  /** Bound logical ports whose network is known (for tests and metrics). */
  get resolvedPorts(): number {
    let n = 0;
    for (const p of this.ports.values()) if (p.networkId !== undefined) n++;
    return n;
  }

  private onBindings(changes: readonly PortBindingChange[]): void {
    const uplinkDps = new Set<DatapathId>();
    for (const c of changes) {
      const dpid = toDatapathId(c.datapathId);
      if (c.binding.logicalPortId === undefined) uplinkDps.add(dpid);
      // `updated` keeps the logical port id and the port number: presence is unchanged.
      if (c.change === 'added' && c.logicalPortId !== undefined) this.portBound(c.logicalPortId, dpid);
      if (c.change === 'removed' && c.logicalPortId !== undefined) this.portUnbound(c.logicalPortId, dpid);
    }
    for (const dpid of uplinkDps) this.refreshUplinks(dpid);
  }

  private refreshUplinks(dpid: DatapathId): void {
    const ports = uplinkPorts(this.deps.bindings.list({ datapathId: dpid }));
    const key = ports.join(',');
    if (this.uplinks.get(dpid) === key) return;
    this.uplinks.set(dpid, key);
    this.deps.sync.replace(UPLINK_OWNER, dpid, uplinkFlows(ports, this.deps.tables));
  }

  private portBound(id: string, dpid: DatapathId): void {
    let p = this.ports.get(id);
    if (p === undefined) {
      p = { bound: new Presence(), networkId: undefined, watch: undefined, closed: false };
      this.ports.set(id, p);
      this.watchPort(id, p);
    }
    if (p.bound.add(dpid) && p.networkId !== undefined) this.networkPresent(p.networkId, dpid);
  }

  private portUnbound(id: string, dpid: DatapathId): void {
    const p = this.ports.get(id);
    if (p === undefined) return;
    if (p.bound.remove(dpid) && p.networkId !== undefined) this.networkAbsent(p.networkId, dpid);
    if (p.bound.empty) {
      this.closePort(p);
      this.ports.delete(id);
    }
  }

  private watchPort(id: string, p: PortState): void {
    this.deps.db.watch([objectKey('logicalport', id)]).then(
      (w) => {
        if (p.closed) {
          w.close();
          return;
        }
        p.watch = w;
        w.changes().subscribe((snap) => {
          if (p.closed) return;
          const obj = [...snap.values.values()][0];
          const ref =
            obj !== null && typeof obj === 'object' && !Array.isArray(obj)
              ? (obj as JsonObject).network
              : undefined;
          const networkId = isRef(ref) ? (idOfKey('logicalnetwork', ref.$ref) ?? undefined) : undefined;
          this.setPortNetwork(p, networkId);
        });
      },
      (err: unknown) =>
        this.deps.logger.error({ err, logicalPort: id }, 'ARP responder cannot watch a logical port'),
    );
  }

  /** The port's object appeared, vanished or (after delete and re-create) moved network. */
  private setPortNetwork(p: PortState, networkId: string | undefined): void {
    if (p.networkId === networkId) return;
    const before = p.networkId;
    p.networkId = networkId;
    for (const dpid of p.bound.datapaths) {
      if (before !== undefined) this.networkAbsent(before, dpid);
      if (networkId !== undefined) this.networkPresent(networkId, dpid);
    }
  }

  private networkPresent(id: string, dpid: DatapathId): void {
    let n = this.networks.get(id);
    if (n === undefined) {
      n = {
        present: new Presence(),
        watch: undefined,
        closed: false,
        network: undefined,
        flows: [],
        cache: new Map(),
      };
      this.networks.set(id, n);
      this.watchNetwork(id, n);
    }
    if (n.present.add(dpid) && n.network !== undefined)
      this.deps.sync.replace(networkOwner(n.network.nwid), dpid, n.flows);
  }

  private networkAbsent(id: string, dpid: DatapathId): void {
    const n = this.networks.get(id);
    if (n === undefined) return;
    if (n.present.remove(dpid) && n.network !== undefined)
      this.deps.sync.replace(networkOwner(n.network.nwid), dpid, []);
    if (n.present.empty) {
      this.closeNetwork(n);
      this.networks.delete(id);
    }
  }

  private watchNetwork(id: string, n: NetworkState): void {
    watchLogicalNetwork(this.deps.db, id).then(
      (w) => {
        if (n.closed) {
          w.close();
          return;
        }
        n.watch = w;
        w.changes().subscribe((snap) => {
          if (!n.closed) this.compile(id, n, arpNetworkFromView(snap.values, id, this.deps.gatewayMac));
        });
      },
      (err: unknown) =>
        this.deps.logger.error({ err, logicalNetwork: id }, 'ARP responder cannot watch a logical network'),
    );
  }

  private compile(id: string, n: NetworkState, network: ArpNetwork | undefined): void {
    let flows: Flow<Flow13>[] = [];
    if (network !== undefined) {
      if (network.nwid !== n.network?.nwid) n.cache.clear();
      try {
        flows = arpFlows(network, this.deps.tables, n.cache);
      } catch (err) {
        // Keep what is installed: a half-written network is better than none.
        this.deps.logger.error({ err, logicalNetwork: id }, 'ARP responder cannot compile a logical network');
        return;
      }
    }
    const oldOwner = n.network === undefined ? undefined : networkOwner(n.network.nwid);
    const newOwner = network === undefined ? undefined : networkOwner(network.nwid);
    n.network = network;
    n.flows = flows;
    for (const dpid of n.present.datapaths) {
      if (oldOwner !== undefined && oldOwner !== newOwner) this.deps.sync.replace(oldOwner, dpid, []);
      if (newOwner !== undefined) this.deps.sync.replace(newOwner, dpid, flows);
    }
  }

  private closePort(p: PortState): void {
    p.closed = true;
    p.watch?.close();
  }

  private closeNetwork(n: NetworkState): void {
    n.closed = true;
    n.watch?.close();
  }
}
