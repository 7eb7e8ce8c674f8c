/**
 * Keeps one datapath's installed flows equal to its desired flows. While the switch is
 * connected, every change to the desired set becomes one plan (the difference for the keys
 * that changed), applied as one batch; changes that arrive while a batch is in flight are
 * coalesced into the next one. On (re)connect it reads what the switch holds and sends only
 * the difference, so a restarted controller with unchanged state sends nothing. Groups are
 * kept the same way, in the same batch as the flows that use them.
 */
import type { DesiredFlows } from './desired-flows';
import { DesiredGroups } from './desired-groups';
import type { Flow } from './flow';
import { flowKey } from './flow';
import { applyPlan, diffFlows, type FlowPlan, isEmptyPlan } from './flow-diff';
import type { Group } from './group';
import { applyGroupPlan, diffGroups, EMPTY_GROUP_PLAN, type GroupPlan, isEmptyGroupPlan } from './group-diff';

/** How FlowSync reaches one switch; the OpenFlow adapter implements it. */
export interface FlowChannel<V, G = never> {
  /** The flows the switch holds that FlowSync owns (by cookie), as Flow values. */
  readInstalled(signal: AbortSignal): Promise<Iterable<Flow<V>>>;
  /** The groups the switch holds that FlowSync owns (by id); absent: the channel has no groups. */
  readGroups?(signal: AbortSignal): Promise<Iterable<Group<G>>>;
  /**
   * Applies the plan in order — group adds/modifies, flows, group deletes — atomically where
   * the switch supports bundles; resolves after the barrier. `installed` is what the switch
   * holds before the plan, by flowKey (a modify may depend on the flow it replaces).
   */
  apply(
    plan: FlowPlan<V>,
    signal: AbortSignal,
    groups: GroupPlan<G>,
    installed: ReadonlyMap<string, Flow<V>>,
  ): Promise<void>;
}

export interface SyncStats {
  /** Plans applied (batches sent). */
  readonly batches: number;
  /** Flow-mods sent: adds + modifies + deletes. */
  readonly flowMods: number;
  /** Group-mods sent: adds + modifies + deletes. */
  readonly groupMods: number;
  /** Full reads of the switch's flows (connects and recoveries after a failed batch). */
  readonly resyncs: number;
  /** Batches or reads that failed (each is followed by a resync). */
  readonly failures: number;
}

export type SyncListener = (event: SyncEvent) => void;

export type SyncEvent =
  | { readonly kind: 'synced' }
  | { readonly kind: 'error'; readonly error: Error }
  | { readonly kind: 'resync' }
  | { readonly kind: 'batch'; readonly flowMods: number; readonly groupMods: number };

export interface DatapathSyncOptions {
  readonly onEvent?: SyncListener;
  /** First wait before retrying after a failed batch or read; doubles up to `maxRetryDelayMs`. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /**
   * Until this time (epoch ms), flows and groups the switch already held when it was read
   * and that nobody has declared (yet) are kept, not deleted: right after a controller start
   * the compilers may not have declared everything, and deleting then re-adding their flows
   * would drop packets. Once it passes, one full comparison removes what is still
   * undeclared. Flows this controller installed itself are removed at once as usual.
   */
  readonly holdRemovalsUntil?: number;
}

export class DatapathSync<V, G = never> {
  private channel: FlowChannel<V, G> | undefined;
  private abort: AbortController | undefined;
  /** What the switch holds, once read; undefined means unknown (not read yet, or a batch failed). */
  private installed: Map<string, Flow<V>> | undefined;
  private installedGroups: Map<number, Group<G>> | undefined;
  private dirty = new Set<string>();
  private dirtyGroups = new Set<number>();
  private running: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  private stats = { batches: 0, flowMods: 0, groupMods: 0, resyncs: 0, failures: 0 };

  private retryTimer: NodeJS.Timeout | undefined;
  private holdTimer: NodeJS.Timeout | undefined;
  /** Compare everything (not just the dirty keys) in the next round: held removals are due. */
  private fullDiffPending = false;
  /** Keys and group ids found on the switch by a read inside the hold window. */
  private preexisting = new Set<string>();
  private preexistingGroups = new Set<number>();
  private retryDelay: number;
  private readonly onEvent: SyncListener;

  constructor(
    readonly desired: DesiredFlows<V>,
    private readonly options: DatapathSyncOptions = {},
    readonly desiredGroups: DesiredGroups<G> = new DesiredGroups<G>(),
  ) {
    this.onEvent = options.onEvent ?? (() => {});
    this.retryDelay = options.retryDelayMs ?? 500;
  }

  get statistics(): SyncStats {
    return { ...this.stats };
  }

  get connected(): boolean {
    return this.channel !== undefined;
  }

  /** The switch connected (or reconnected): read its flows, then converge. */
  attach(channel: FlowChannel<V, G>): void {
    this.detach();
    this.channel = channel;
    this.abort = new AbortController();
    this.installed = undefined;
    this.kick();
  }

  /** The switch left: whatever it holds is unknown until it comes back. */
  detach(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.fullDiffPending = false;
    this.retryDelay = this.options.retryDelayMs ?? 500;
    this.abort?.abort();
    this.abort = undefined;
    this.channel = undefined;
    this.installed = undefined;
    this.installedGroups = undefined;
    this.dirty.clear();
    this.dirtyGroups.clear();
  }

  /** The desired flows of these keys changed (what DesiredFlows.replace/update returned). */
  changed(keys: Iterable<string>): void {
    // Empty but right after a (re)connect: no lookup per key of a large change then.
    const held = this.preexisting.size > 0;
    for (const k of keys) {
      this.dirty.add(k);
      // A compiler has spoken for this flow: its withdrawal is meant, never held.
      if (held) this.preexisting.delete(k);
    }
    if (this.channel !== undefined && this.dirty.size > 0) this.kick();
  }

  /** The desired groups of these ids changed (what DesiredGroups.replace returned). */
  changedGroups(ids: Iterable<number>): void {
    for (const id of ids) {
      this.dirtyGroups.add(id);
      this.preexistingGroups.delete(id);
    }
    if (this.channel !== undefined && this.dirtyGroups.size > 0) this.kick();
  }

  /** Resolves once nothing is in flight (a retry may still be scheduled after a failure). */
  idle(): Promise<void> {
    if (this.running === undefined) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private kick(): void {
    if (this.running !== undefined || this.retryTimer !== undefined) return;
    // Start once this event-loop turn and the immediates it scheduled have run, so the flows
    // and groups of one change go in one batch (a group delete never precedes the withdrawal
    // of its flows), and so do the declarations several compilers make for one commit (l2
    // flushes on an immediate; arpresponder and dhcpserver declare from the notice itself).
    this.running = new Promise<void>((r) => setImmediate(() => setImmediate(r)))
      .then(() => this.loop())
      .finally(() => {
        this.running = undefined;
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      });
  }

  private scheduleHeldRemovals(at: number): void {
    if (this.holdTimer !== undefined) return;
    this.holdTimer = setTimeout(() => {
      this.holdTimer = undefined;
      this.fullDiffPending = true;
      if (this.channel !== undefined) this.kick();
    }, at - Date.now());
  }

  private async loop(): Promise<void> {
    while (this.channel !== undefined) {
      const channel = this.channel;
      const signal = this.abort!.signal;
      let plan: FlowPlan<V>;
      let groupPlan: GroupPlan<G>;
      try {
        if (this.installed === undefined || this.installedGroups === undefined) {
          this.stats.resyncs++;
          this.onEvent({ kind: 'resync' });
          const read = await channel.readInstalled(signal);
          const groups = (await channel.readGroups?.(signal)) ?? [];
          if (signal.aborted) return;
          this.installed = new Map([...read].map((f) => [flowKey(f), f]));
          this.installedGroups = new Map([...groups].map((g) => [g.id, g]));
          if (Date.now() < (this.options.holdRemovalsUntil ?? 0)) {
            this.preexisting = new Set(this.installed.keys());
            this.preexistingGroups = new Set(this.installedGroups.keys());
          }
          this.dirty.clear();
          this.dirtyGroups.clear();
          plan = diffFlows(this.desired.flows, this.installed);
          groupPlan = channel.readGroups
            ? diffGroups(this.desiredGroups.groups, this.installedGroups)
            : EMPTY_GROUP_PLAN;
        } else if (this.fullDiffPending) {
          this.fullDiffPending = false;
          this.dirty.clear();
          this.dirtyGroups.clear();
          plan = diffFlows(this.desired.flows, this.installed);
          groupPlan = channel.readGroups
            ? diffGroups(this.desiredGroups.groups, this.installedGroups)
            : EMPTY_GROUP_PLAN;
        } else if (this.dirty.size > 0 || this.dirtyGroups.size > 0) {
          const scope = this.dirty;
          const groupScope = this.dirtyGroups;
          this.dirty = new Set();
          this.dirtyGroups = new Set();
          plan = diffFlows(this.desired.flows, this.installed, scope);
          groupPlan = channel.readGroups
            ? diffGroups(this.desiredGroups.groups, this.installedGroups, groupScope)
            : EMPTY_GROUP_PLAN;
        } else {
          return;
        }
        const holdUntil = this.options.holdRemovalsUntil ?? 0;
        if (Date.now() < holdUntil && (this.preexisting.size > 0 || this.preexistingGroups.size > 0)) {
          const remove = plan.remove.filter((f) => !this.preexisting.has(flowKey(f)));
          const removeGroups = groupPlan.remove.filter((g) => !this.preexistingGroups.has(g.id));
          if (remove.length < plan.remove.length || removeGroups.length < groupPlan.remove.length) {
            plan = { ...plan, remove };
            groupPlan = { ...groupPlan, remove: removeGroups };
            this.scheduleHeldRemovals(holdUntil);
          }
        } else if (this.preexisting.size > 0 || this.preexistingGroups.size > 0) {
          this.preexisting = new Set();
          this.preexistingGroups = new Set();
        }
        if (!isEmptyPlan(plan) || !isEmptyGroupPlan(groupPlan)) {
          await channel.apply(plan, signal, groupPlan, this.installed);
          if (signal.aborted) return;
          applyPlan(this.installed, plan);
          applyGroupPlan(this.installedGroups, groupPlan);
          const flowMods = plan.add.length + plan.modify.length + plan.remove.length;
          const groupMods = groupPlan.add.length + groupPlan.modify.length + groupPlan.remove.length;
          this.stats.batches++;
          this.stats.flowMods += flowMods;
          this.stats.groupMods += groupMods;
          this.onEvent({ kind: 'batch', flowMods, groupMods });
        }
        this.retryDelay = this.options.retryDelayMs ?? 500;
        if (this.dirty.size === 0 && this.dirtyGroups.size === 0) this.onEvent({ kind: 'synced' });
      } catch (e) {
        if (signal.aborted) return;
        // The switch refused part of a batch, or the read failed: what it holds is unknown,
        // so the next round reads it back and converges from there.
        this.installed = undefined;
        this.installedGroups = undefined;
        this.stats.failures++;
        this.onEvent({ kind: 'error', error: e as Error });
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.kick();
        }, this.retryDelay);
        this.retryDelay = Math.min(this.retryDelay * 2, this.options.maxRetryDelayMs ?? 30_000);
        return;
      }
    }
  }
}
