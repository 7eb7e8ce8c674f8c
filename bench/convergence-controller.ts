/**
 * The controller child of the convergence bench (`convergence.ts` forks it): a runtime of the
 * modules the bench names, and a small IPC server that makes API calls for the driver and
 * times them up to FlowSync's convergence. By default the driver compiles this file with
 * `tsc` and runs it under plain `node`, as `scripts/start` runs the controller, so its memory
 * is the deployed one; `BENCH_CHILD=tsx` runs it through the tsx loader instead.
 *
 * Arguments: OpenFlow port, OVSDB socket, store folder, `l3` or `no-l3`.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { arpResponderModule } from '../src/modules/arp-responder';
import { dhcpServerModule } from '../src/modules/dhcp-server';
import { FlowSyncService } from '../src/modules/flowsync';
import { l2Module } from '../src/modules/l2';
import { l3Module } from '../src/modules/l3';
import { PortBindingService } from '../src/modules/port-binding';
import { vrouterApiModule } from '../src/modules/vrouter-api';
import { type DatapathId, toDatapathId } from '../src/openflow/protocol';
import { startControllerRuntime } from '../test/harness/controller-runtime';
import { SWITCH_MODULES } from '../test/integration/modules/switch-modules';
import {
  type Converged,
  memory,
  ms,
  QUIET_MS,
  type Ready,
  type Reply,
  type Request,
  type Settled,
  type SettledAfter,
  type TimedCall,
} from './convergence-protocol';

/** BENCH_BUNDLES=0: FlowSync sends flow-mods + barrier instead of bundles. */
const BUNDLES = process.env.BENCH_BUNDLES !== '0';

const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

async function controller(ofPort: number, dbSock: string, storeDir: string, withL3: boolean): Promise<void> {
  const { runtime, services } = await startControllerRuntime({
    what: 'bench controller runtime',
    modules: [
      ...SWITCH_MODULES,
      vrouterApiModule,
      l2Module,
      arpResponderModule,
      dhcpServerModule,
      ...(withL3 ? [l3Module] : []),
    ],
    services: { sync: FlowSyncService, bindings: PortBindingService },
    storeUrl: `embedded:${join(storeDir, 'data')}`,
    openflowPort: ofPort,
    ovsdb: `unix:${dbSock}`,
    config: { flowsync: { bundles: BUNDLES } },
  });
  const { bindings } = services;
  const fs = services.sync;
  const status = (dpid: DatapathId) => {
    const s = fs.status().find((x) => x.datapathId === dpid);
    if (s === undefined) throw new Error(`datapath ${dpid} is not known to FlowSync`);
    return s;
  };

  /**
   * Waits until FlowSync is idle on `dpid` and has sent nothing for QUIET_MS, with at least
   * `minFlowMods` sent since `base`. Returns when the last flow-mod was acknowledged: the
   * idle() that first saw the final flow-mod count (resolution about 1 ms).
   */
  async function settle(
    dpid: DatapathId,
    base: number,
    minFlowMods: number,
  ): Promise<{ doneAt: bigint } & Settled> {
    let seen = status(dpid).flowMods;
    let doneAt = process.hrtime.bigint();
    for (;;) {
      await fs.idle(dpid);
      const t = process.hrtime.bigint();
      const s = status(dpid);
      if (s.flowMods !== seen) {
        seen = s.flowMods;
        doneAt = t;
      } else if (s.flowMods - base >= minFlowMods && ms(doneAt, t) >= QUIET_MS) {
        return { doneAt, flowMods: s.flowMods, desired: s.desired, memory: memory() };
      }
      await sleep(1);
    }
  }

  const handle = async (req: Request): Promise<unknown> => {
    switch (req.op) {
      case 'connected':
        for (;;) {
          const s = fs.status().find((x) => x.connected);
          if (s !== undefined) return s.datapathId.toString();
          await sleep(20);
        }
      case 'bound': {
        const dpid = toDatapathId(req.dpid);
        for (;;) {
          const n = bindings.list({ datapathId: dpid }).length;
          if (n >= req.count) return n;
          await sleep(20);
        }
      }
      case 'settle': {
        const dpid = toDatapathId(req.dpid);
        const { doneAt: _, ...rest } = await settle(dpid, status(dpid).flowMods, 0);
        return rest;
      }
      case 'settled-after': {
        const dpid = toDatapathId(req.dpid);
        const { doneAt, ...rest } = await settle(dpid, req.base, req.minFlowMods);
        const result: SettledAfter = { ...rest, doneAt: doneAt.toString(), sent: rest.flowMods - req.base };
        return result;
      }
      case 'converged': {
        const dpid = toDatapathId(req.dpid);
        let at: number;
        let connectedAt: number | undefined;
        for (;;) {
          const s = fs.status().find((x) => x.datapathId === dpid);
          if (s?.connected) connectedAt ??= performance.now();
          if (s?.connected && s.desired >= req.desired) {
            await fs.idle(dpid);
            if (status(dpid).desired >= req.desired) {
              at = performance.now();
              break;
            }
          }
          await sleep(1);
        }
        // Then quiet: a restart that sends flow-mods after its first idle is caught here.
        const { doneAt: _, ...rest } = await settle(dpid, status(dpid).flowMods, 0);
        const result: Converged = {
          ...rest,
          sinceStartMs: at,
          sinceReadyMs: at - readyAt,
          connectedAfterReadyMs: (connectedAt ?? at) - readyAt,
        };
        return result;
      }
      case 'call':
        return runtime.call(req.module, req.api, req.params);
      case 'timed-call': {
        const dpid = toDatapathId(req.dpid);
        const base = status(dpid).flowMods;
        const batches0 = status(dpid).batches;
        const cpu0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        // BENCH_TRACE: a timeline of FlowSync's desired and sent counts (ms from the call).
        let last = '';
        const trace = process.env.BENCH_TRACE
          ? setInterval(() => {
              const x = status(dpid);
              const now = `${x.desired} desired, ${x.flowMods - base} sent, ${x.batches - batches0} batches`;
              if (now !== last) console.error(`trace ${req.api} +${ms(t0).toFixed(1)} ms: ${now}`);
              last = now;
            }, 1)
          : undefined;
        await runtime.call(req.module, req.api, req.params);
        const t1 = process.hrtime.bigint();
        if (trace !== undefined) console.error(`trace ${req.api} +${ms(t0, t1).toFixed(1)} ms: API response`);
        const s = await settle(dpid, base, req.minFlowMods);
        if (trace !== undefined) clearInterval(trace);
        const cpu = process.cpuUsage(cpu0);
        // The window in the CPU profile's clock (both monotonic, in µs), to cut the profile.
        if (process.env.BENCH_CPU_PROF)
          console.error(`profile window ${req.api}: ${t0 / 1000n} ${t1 / 1000n} ${s.doneAt / 1000n}`);
        const result: TimedCall = {
          callMs: ms(t0, t1),
          installMs: ms(t1, s.doneAt),
          sent: s.flowMods - base,
          batches: status(dpid).batches - batches0,
          // The quiet period's idle polling is included: small next to the work.
          cpuMs: (cpu.user + cpu.system) / 1000,
          flowMods: s.flowMods,
          desired: s.desired,
          memory: s.memory,
        };
        return result;
      }
    }
  };
  process.on('message', (req: Request) => {
    handle(req).then(
      (result) => process.send!({ id: req.id, ok: true, result } satisfies Reply),
      (e: unknown) =>
        process.send!({
          id: req.id,
          ok: false,
          error: String(e instanceof Error ? e.stack : e),
        } satisfies Reply),
    );
  });
  process.on('disconnect', () => {
    void runtime.stop().finally(() => process.exit(0));
  });
  const readyAt = performance.now();
  const ready: Ready = {
    memory: memory(),
    execArgv: process.execArgv,
    tsxLoaded: Object.keys(require.cache).some((k) => /[\\/]tsx[\\/]/.test(k)),
  };
  process.send!({ id: 0, ok: true, result: ready } satisfies Reply);
}

controller(Number(process.argv[2]), process.argv[3]!, process.argv[4]!, process.argv[5] === 'l3').catch(
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
