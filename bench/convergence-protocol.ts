/**
 * What the convergence bench's driver (`convergence.ts`) and its controller child
 * (`convergence-controller.ts`) say to each other over the IPC channel, and the figures the
 * child reports. Types only, plus the two helpers both sides use, so the child loads none of
 * the driver's harness.
 */

/** Nothing sent for this long after an idle FlowSync: converged. */
export const QUIET_MS = 400;

export type Request =
  | { readonly id: number; readonly op: 'connected' }
  | { readonly id: number; readonly op: 'bound'; readonly dpid: string; readonly count: number }
  | { readonly id: number; readonly op: 'settle'; readonly dpid: string }
  /**
   * Waits until at least `minFlowMods` were sent since FlowSync had sent `base`, then quiet;
   * for work the driver starts itself (OVS ports added with ovs-vsctl).
   */
  | {
      readonly id: number;
      readonly op: 'settled-after';
      readonly dpid: string;
      readonly base: number;
      readonly minFlowMods: number;
    }
  /** After a restart: waits for FlowSync to hold `desired` flows for `dpid` and be idle. */
  | { readonly id: number; readonly op: 'converged'; readonly dpid: string; readonly desired: number }
  | {
      readonly id: number;
      readonly op: 'timed-call';
      readonly dpid: string;
      readonly module: string;
      readonly api: string;
      readonly params: Record<string, unknown>;
      /** Flow-mods the call must cause at least before the quiet period counts. */
      readonly minFlowMods: number;
    }
  | {
      readonly id: number;
      readonly op: 'call';
      readonly module: string;
      readonly api: string;
      readonly params: Record<string, unknown>;
    };

/** A request without its id (Omit distributed over the union). */
export type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

export interface Memory {
  readonly rss: number;
  readonly heapUsed: number;
  /** Peak RSS of the process so far (getrusage maxrss). */
  readonly maxRss: number;
}

export interface Settled {
  readonly flowMods: number;
  readonly desired: number;
  readonly memory: Memory;
}

export interface TimedCall extends Settled {
  /** The API call itself. */
  readonly callMs: number;
  /** From the API response to the last flow installed. */
  readonly installMs: number;
  /** Flow-mods the call caused. */
  readonly sent: number;
  /** FlowSync batches (bundles) they went in. */
  readonly batches: number;
  /** Controller CPU (user + system) from the call to convergence. */
  readonly cpuMs: number;
}

/** The end of work the driver started: `doneAt` is process.hrtime.bigint() (one clock for both processes). */
export interface SettledAfter extends Settled {
  readonly doneAt: string;
  readonly sent: number;
}

/** A restarted child caught up with the switch it found. */
export interface Converged extends Settled {
  /** From the child's time origin (process start) to the first idle FlowSync with all flows desired. */
  readonly sinceStartMs: number;
  /** From the runtime started (Ready sent) to the same. */
  readonly sinceReadyMs: number;
  /** From the runtime started to the switch seen connected (OVS reconnects on its own schedule). */
  readonly connectedAfterReadyMs: number;
}

/** The child's first message (id 0): its runtime has started, nothing loaded yet. */
export interface Ready {
  /** Right after the runtime started: no switch, no store content. */
  readonly memory: Memory;
  /** The child's node flags (tsx's loader shows here). */
  readonly execArgv: readonly string[];
  /** Whether any tsx file is loaded in the child (its CommonJS hook or preflight). */
  readonly tsxLoaded: boolean;
}

export type Reply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** Milliseconds from `t0` to `t1` (hrtime). */
export const ms = (t0: bigint, t1 = process.hrtime.bigint()) => Number(t1 - t0) / 1e6;

export const memory = (): Memory => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, maxRss: process.resourceUsage().maxRSS * 1024 };
};
