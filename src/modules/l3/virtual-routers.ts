/**
 * The L3 engine. Inputs: ObjectDB (the set of routers; each router through
 * `watchVirtualRouter`) and port bindings. Output: per (datapath, router) the FlowSync owner
 * `l3:<router id>`.
 *
 * A router is relevant on a datapath while a logical port of one of its attached networks is
 * bound there: that host may have to route the port's traffic. A change to one router (its
 * routes, interfaces, or a port of its networks) recompiles that router only; FlowSync sends
 * the difference. The router's stored number (`routerno`, unique in the cluster, assigned by
 * vrouterapi) tags its packets between l3input and l3router (metadata) and names it in
 * cookies: the same after a controller restart, so the flows on the switch stay as they are.
 * A router without a number (stored before numbers existed, until vrouterapi numbers it) or
 * whose number another router holds is not routed; its watch brings the number when written.
 */
import type { Logger } from 'pino';
import { isRef, type ObjectDb, type Watch, type WatchSnapshot } from '../../objectdb';
import type { MacAddress } from '../../openflow/packet/mac-address';
import { type DatapathId, toDatapathId } from '../../openflow/protocol';
import type { Flow, Flow13, FlowSyncApi } from '../flowsync';
import type { PortBindings } from '../port-binding';
import { idOfRouterKey, routerSetKey, watchVirtualRouter } from '../vrouter-api';
import { compileRouter, type L3Tables, l3Owner } from './compile-router';
import { type RouterView, routerFromView, routerNumberFromView } from './router-view';

export interface VirtualRoutersDeps {
  readonly db: ObjectDb;
  readonly bindings: PortBindings;
  readonly sync: FlowSyncApi;
  readonly tables: L3Tables;
  readonly gatewayMac: MacAddress;
  readonly logger: Pick<Logger, 'error' | 'warn' | 'debug'>;
}

interface RouterState {
  readonly id: string;
  /** The stored router number compiled with (held in byNo), undefined before one is seen. */
  no: number | undefined;
  /** The number last read from the store (differs from `no` while another router holds it). */
  stored: number | undefined;
  /** Why the router is not routed (logged once per reason), undefined while it is. */
  unrouted: string | undefined;
  watch: Watch | undefined;
  closed: boolean;
  view: RouterView | undefined;
  flows: Flow<Flow13>[];
  /** The parts of the last compile (compileRouter's cache). */
  readonly cache: Map<string, Flow<Flow13>[]>;
  /** The newest snapshot not compiled yet (a burst of changes compiles once). */
  pending: WatchSnapshot | undefined;
  /** Datapaths the owner is declared on now. */
  declared: Set<DatapathId>;
}

export class VirtualRouters {
  private readonly routers = new Map<string, RouterState>();
  private readonly byNo = new Map<number, RouterState>();
  private setWatch: Watch | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly deps: VirtualRoutersDeps) {}

  async start(): Promise<void> {
    this.unsubscribe = this.deps.bindings.subscribe(() => {
      for (const r of this.routers.values()) this.declare(r);
    });
    const w = await this.deps.db.watch([routerSetKey()]);
    if (this.stopped) {
      w.close();
      return;
    }
    this.setWatch = w;
    w.changes().subscribe((snap) => {
      if (this.stopped) return;
      const list = [...snap.values.values()][0];
      const ids = new Set<string>();
      if (Array.isArray(list)) {
        for (const ref of list) {
          const id = isRef(ref) ? idOfRouterKey('virtualrouter', ref.$ref) : null;
          if (id !== null) ids.add(id);
        }
      }
      this.setRouters(ids);
    });
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.setWatch?.close();
    for (const r of this.routers.values()) {
      r.closed = true;
      r.watch?.close();
    }
    this.routers.clear();
    this.byNo.clear();
  }

  /** The router a packet's router number names (packet-in handling). */
  routerByNumber(no: number): RouterView | undefined {
    return this.byNo.get(no)?.view;
  }

  /** Routers watched now (for tests and metrics). */
  get watchedRouters(): number {
    return this.routers.size;
  }

  private setRouters(ids: ReadonlySet<string>): void {
    for (const [id, r] of this.routers) {
      if (ids.has(id)) continue;
      r.closed = true;
      r.watch?.close();
      r.view = undefined;
      r.flows = [];
      this.declare(r);
      this.routers.delete(id);
      this.releaseNumber(r);
    }
    for (const id of ids) {
      if (this.routers.has(id)) continue;
      const r: RouterState = {
        id,
        no: undefined,
        stored: undefined,
        unrouted: undefined,
        watch: undefined,
        closed: false,
        view: undefined,
        flows: [],
        cache: new Map(),
        pending: undefined,
        declared: new Set(),
      };
      this.routers.set(id, r);
      this.watchRouter(r);
    }
  }

  private watchRouter(r: RouterState): void {
    watchVirtualRouter(this.deps.db, r.id).then(
      (w) => {
        if (r.closed) {
          w.close();
          return;
        }
        r.watch = w;
        w.changes().subscribe((snap) => {
          if (r.closed) return;
          const first = r.pending === undefined;
          r.pending = snap;
          // Compile on the next macrotask: a thousand port changes in a row compile once.
          if (first)
            setImmediate(() => {
              const latest = r.pending;
              r.pending = undefined;
              if (!r.closed && latest !== undefined)
                this.compile(
                  r,
                  routerFromView(latest.values, r.id),
                  routerNumberFromView(latest.values, r.id),
                );
            });
        });
      },
      (err: unknown) => this.deps.logger.error({ err, router: r.id }, 'L3 cannot watch a virtual router'),
    );
  }

  private releaseNumber(r: RouterState): void {
    const no = r.no;
    r.no = undefined;
    if (no === undefined || this.byNo.get(no) !== r) return;
    this.byNo.delete(no);
    // A router left out for having the same number gets it, once r has redeclared under its new
    // number (or withdrawn): the two never declare one tag at once.
    setImmediate(() => {
      if (this.stopped || this.byNo.has(no)) return;
      const o = [...this.routers.values()].find((x) => !x.closed && x.no === undefined && x.stored === no);
      if (o !== undefined) this.compile(o, o.view, no);
    });
  }

  /** Takes the router's stored number; false (logged) when it has none or another router holds it. */
  private takeNumber(r: RouterState, no: number | undefined): boolean {
    r.stored = no;
    if (no === r.no && no !== undefined) return true;
    this.releaseNumber(r);
    // The flows cached for parts carry the old number's tag and cookie.
    r.cache.clear();
    const holder = no === undefined ? undefined : this.byNo.get(no);
    if (no === undefined || holder !== undefined) {
      const why =
        holder === undefined
          ? 'L3: virtual router has no router number yet (vrouterapi numbers it at start or on update): not routed'
          : `L3: virtual router ${holder.id} has the same router number: this one is not routed`;
      // Missing is a store written before router numbers (transitional); shared is corruption.
      if (r.unrouted !== why)
        this.deps.logger[holder === undefined ? 'warn' : 'error']({ router: r.id, routerno: no }, why);
      r.unrouted = why;
      return false;
    }
    r.unrouted = undefined;
    r.no = no;
    this.byNo.set(no, r);
    return true;
  }

  private compile(r: RouterState, view: RouterView | undefined, no: number | undefined): void {
    let flows: Flow<Flow13>[] = [];
    if (view !== undefined && this.takeNumber(r, no) && r.no !== undefined) {
      try {
        flows = compileRouter(view, this.deps.tables, this.deps.gatewayMac, r.no, r.cache);
      } catch (err) {
        // Keep what is installed rather than cut every route of the router.
        this.deps.logger.error({ err, router: r.id }, 'L3 cannot compile a virtual router');
        return;
      }
    }
    r.view = view;
    r.flows = flows;
    this.declare(r, true);
  }

  /** Declares the router where it is relevant, withdraws it where it stopped being. */
  private declare(r: RouterState, changed = false): void {
    const relevant = new Set<DatapathId>();
    if (r.view !== undefined && r.flows.length > 0) {
      for (const id of r.view.logicalPorts)
        for (const b of this.deps.bindings.whereIs(id)) relevant.add(toDatapathId(b.datapathId));
    }
    for (const dpid of r.declared) if (!relevant.has(dpid)) this.replace(r, dpid, []);
    for (const dpid of relevant) if (changed || !r.declared.has(dpid)) this.replace(r, dpid, r.flows);
    r.declared = relevant;
  }

  /**
   * FlowSync refuses (changing nothing) a flow another owner declares differently — two
   * routers claiming one network's l3input flows when two subnets of a network are attached
   * to different routers. Logged; the other routers are unaffected.
   */
  private replace(r: RouterState, dpid: DatapathId, flows: readonly Flow<Flow13>[]): void {
    try {
      this.deps.sync.replace(l3Owner(r.id), dpid, flows);
    } catch (err) {
      this.deps.logger.error(
        { err, router: r.id, datapathId: dpid.toString(16) },
        'L3 cannot declare a virtual router',
      );
    }
  }
}
