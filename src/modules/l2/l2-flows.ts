/**
 * Turns dirty networks into FlowSync declarations: each dirty network is recompiled on
 * every datapath where it has local ports or had flows, and declared under its own owner
 * (`l2:<nwid>`), so a change to one network never touches another's flows. Dirty marks are
 * coalesced until the next macrotask: a batch of a thousand port changes recompiles each
 * network once. A network marked only because where it is needed may have changed (a router
 * link) is compiled only for datapaths it was not declared on: its flows on a datapath depend
 * on that datapath's view alone, not on which other datapaths need them.
 */

import type { DatapathId } from '../../openflow/protocol';
import type { FlowSyncApi } from '../flowsync';
import { FlowConflictError } from '../flowsync';
import { CompileCache } from './compile-cache';
import { compileNetwork, l2Owner } from './compile-network';
import type { L2Tables, NetworkView } from './network-view';
import { type PlacementSource, Placements } from './placements';

/** What L2Flows reads of the local view (LocalView). */
export interface L2FlowsView extends PlacementSource {
  nwidOf(networkId: string): number | undefined;
  view(networkId: string, datapathId: bigint): NetworkView | undefined;
  release(networkId: string): void;
}

export interface L2FlowStats {
  /** Network recompilations (one network on one datapath). */
  readonly compiles: number;
  readonly flushes: number;
}

export class L2Flows {
  private readonly dirty = new Set<string>();
  /** Of `dirty`, the networks whose flows on a datapath may have changed (not just where needed). */
  private readonly contentDirty = new Set<string>();
  /** network id -> (datapath -> the nwid its flows were declared under). */
  private readonly declared = new Map<string, Map<bigint, number>>();
  private readonly cache = new CompileCache();
  /** network id -> the datapaths it had local ports on at its last compile (sorted, joined). */
  private readonly localDatapaths = new Map<string, string>();
  private timer: NodeJS.Immediate | undefined;
  private idleWaiters: (() => void)[] = [];
  private stats = { compiles: 0, flushes: 0 };
  view: L2FlowsView | undefined;

  constructor(
    private readonly sync: FlowSyncApi,
    private readonly tables: L2Tables,
    private readonly log: (msg: string, err?: unknown) => void = () => undefined,
  ) {}

  get statistics(): L2FlowStats {
    return { ...this.stats };
  }

  markDirty(networkId: string, placementOnly = false): void {
    this.dirty.add(networkId);
    if (!placementOnly) this.contentDirty.add(networkId);
    this.timer ??= setImmediate(() => this.flush());
  }

  /** Resolves once no dirty network is waiting to be compiled. */
  idle(): Promise<void> {
    if (this.timer === undefined) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  stop(): void {
    if (this.timer !== undefined) clearImmediate(this.timer);
    this.timer = undefined;
    this.dirty.clear();
    this.contentDirty.clear();
    this.wake();
  }

  flush(): void {
    this.timer = undefined;
    const view = this.view;
    if (view === undefined) return;
    this.stats.flushes++;
    const networks = [...this.dirty];
    const queued = new Set(networks);
    const contentDirty = new Set(this.contentDirty);
    this.dirty.clear();
    this.contentDirty.clear();
    const retry: (() => void)[] = [];
    // Nothing below changes where networks have ports: each answer is computed once per flush.
    const placements = new Placements(view);
    for (let i = 0; i < networks.length; i++) {
      const id = networks[i]!;
      // Where a network has local ports decides where the networks routed to from it are
      // needed: when that changes, those networks are recompiled too (in this same flush).
      const local = [...placements.localDatapathsOf(id)].sort().join(',');
      if (local !== (this.localDatapaths.get(id) ?? '')) {
        if (local === '') this.localDatapaths.delete(id);
        else this.localDatapaths.set(id, local);
        for (const peer of placements.peersOf(id)) {
          if (queued.has(peer)) continue;
          queued.add(peer);
          networks.push(peer);
        }
      }
      const had = this.declared.get(id) ?? new Map<bigint, number>();
      const now = new Map<bigint, number>();
      const nwid = view.nwidOf(id);
      const needed = placements.datapathsOf(id);
      // Withdraw first (a port moving between networks frees its flows before they are re-declared).
      for (const [dpid, oldNwid] of had) {
        if (nwid === oldNwid && needed.has(dpid)) continue;
        this.declare(l2Owner(oldNwid), dpid, [], retry);
      }
      if (nwid !== undefined) {
        for (const dpid of needed) {
          // Placement only: flows already declared on this datapath under this nwid stand.
          if (!contentDirty.has(id) && had.get(dpid) === nwid) {
            now.set(dpid, nwid);
            continue;
          }
          const v = view.view(id, dpid);
          if (v === undefined) continue;
          this.stats.compiles++;
          let flows: ReturnType<typeof compileNetwork>;
          try {
            flows = compileNetwork(v, this.tables, this.cache);
          } catch (err) {
            // Data no flow can express (the store was edited by hand?): keep the old flows.
            this.log(`cannot compile logical network ${id} for datapath ${dpid.toString(16)}`, err);
            if (had.has(dpid)) now.set(dpid, nwid);
            continue;
          }
          this.declare(l2Owner(nwid), dpid, flows, retry);
          now.set(dpid, nwid);
        }
      }
      if (now.size > 0) this.declared.set(id, now);
      else {
        this.declared.delete(id);
        view.release(id);
      }
    }
    // A conflict comes from another network's flows not withdrawn yet in this round: retry once.
    for (const r of retry) r();
    this.wake();
  }

  private declare(
    owner: string,
    dpid: bigint,
    flows: ReturnType<typeof compileNetwork>,
    retry: (() => void)[],
  ): void {
    const run = (last: boolean) => {
      try {
        this.sync.replace(owner, dpid as DatapathId, flows);
      } catch (err) {
        if (!last && err instanceof FlowConflictError) retry.push(() => run(true));
        else this.log(`cannot declare ${owner} on datapath ${dpid.toString(16)}`, err);
      }
    };
    run(false);
  }

  private wake(): void {
    if (this.timer !== undefined) return;
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of w) f();
  }
}
