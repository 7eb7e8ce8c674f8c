/**
 * Convergence of a whole controller on one private OVS (dummy datapath): 1,000 logical ports
 * in 10 VLAN logical networks (one subnet each) created by ONE `createlogicalports` call,
 * their OVS ports (type=dummy, external_ids:iface-id) already on the bridge. Measured: the
 * call, then from its response to every flow installed (FlowSync idle — barrier or bundle
 * commit reply — after the last flow-mod, with nothing more sent for a quiet period); the
 * flow count (FlowSync's desired set, checked against `ovs-ofctl dump-flows`); the
 * controller's RSS and heap (also right after it started, before any load); then one more
 * port at a time (call → its flows installed).
 *
 * The controller runs in a child process of its own (`convergence-controller.ts`), so its
 * RSS is its own; the parent drives OVS and asks the child, over the IPC channel
 * (`convergence-protocol.ts`), to make API calls and time them. The child is compiled with
 * tsc at the start and run by plain node, as `scripts/start` runs the controller from `dist`
 * (BENCH_CHILD=tsx: through the tsx loader, as before: about 40 MB more RSS). It builds its
 * runtime from a module list rather than running the CLI (no core module; l3 only in the
 * router part).
 *
 * Baseline in the same run: the final flows dumped as text (`dump-flows --no-stats`) and
 * re-added to a fresh bridge with `ovs-ofctl -O OpenFlow13 --bundle add-flows` (process
 * start included); the ratio is printed. The bench checks both bridges hold the same flows.
 *
 * Then churn: one port at a time deleted (call -> its flows removed) and created again
 * (call -> installed), BENCH_CHURN times; then BENCH_CHURN_BATCH ports deleted in one call
 * and created again in one call; RSS after. Then restart: the controller child stopped and a
 * new one started on the same store and switch; measured: fork -> FlowSync idle with every
 * flow desired and nothing more sent, the flow-mods it sent (0 expected) and whether br0's
 * flows are unchanged. Baseline: `ovs-ofctl --bundle replace-flows` of the same flows onto
 * br0 (dump, diff, nothing to change), process start included. Then switch restart:
 * ovs-vswitchd stopped and started again with an empty flow table; measured: the start
 * command -> every flow installed again, and whether br0's flows are as before.
 *
 * Bind part (BENCH_PART=bind; a fresh OVS and controller): the order a cloud plugs VMs in — the
 * logical ports are created first, then the 1,000 OVS ports are added (4 ovs-vsctl calls) and
 * the controller learns of them through OVSDB; timed from the first ovs-vsctl call to every
 * flow installed, then one more OVS port at a time; same baseline.
 *
 * Router part (a fresh OVS and controller, l3 added): 50 VLAN logical networks of 20 ports
 * (1,000 ports, bound) plus 5 more networks of 20 ports, one virtual router; ONE
 * `addrouterinterfaces` call attaching the 50 subnets (response -> installed as above), then
 * the 5 others one `addrouterinterface` at a time; same flow checks and baseline.
 *
 * Run: npm run bench:convergence   (BENCH_PART=all|ports|bind|router; BENCH_PORTS=1000,
 * BENCH_NETWORKS=10, BENCH_MORE=10, BENCH_CHURN=20, BENCH_CHURN_BATCH=100, BENCH_ROUTER_NETWORKS=50, BENCH_ROUTER_PORTS=1000,
 * BENCH_ROUTER_MORE=5, BENCH_ROUNDS=3, BENCH_BUNDLES=1, BENCH_CHILD=compiled|tsx;
 * BENCH_CPU_PROF=<dir> writes the controller's CPU profile there (one per part), with each
 * timed call's window on stderr; BENCH_TRACE=1 prints a timeline of FlowSync's counts per call)
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupAll, dummyPortArgs, freePort, type OvsInstance, startOvs } from '../test/harness';
import { type CompiledEntry, compileForNode } from './compile-for-node';
import {
  type Converged,
  type Memory,
  ms,
  QUIET_MS,
  type Ready,
  type Reply,
  type RequestBody,
  type Settled,
  type SettledAfter,
  type TimedCall,
} from './convergence-protocol';

const PORTS = Number(process.env.BENCH_PORTS ?? 1000);
const NETWORKS = Number(process.env.BENCH_NETWORKS ?? 10);
const MORE = Number(process.env.BENCH_MORE ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CHURN = Number(process.env.BENCH_CHURN ?? 20);
const CHURN_BATCH = Number(process.env.BENCH_CHURN_BATCH ?? 100);
/** Router part: networks attached in one call, their ports, networks attached one at a time. */
const R_NETS = Number(process.env.BENCH_ROUTER_NETWORKS ?? 50);
const R_PORTS = Number(process.env.BENCH_ROUTER_PORTS ?? 1000);
const R_MORE = Number(process.env.BENCH_ROUTER_MORE ?? 5);
const R_PER_NET = Math.ceil(R_PORTS / R_NETS);
/** BENCH_BUNDLES=0: FlowSync sends flow-mods + barrier instead of bundles. */
const BUNDLES = process.env.BENCH_BUNDLES !== '0';
/** BENCH_CHILD=tsx: the controller child runs through the tsx loader, not compiled. */
const CHILD = process.env.BENCH_CHILD ?? 'compiled';
const CHILD_TSX = CHILD === 'tsx';
const CHILD_ENTRY = 'bench/convergence-controller.ts';

// ---------------------------------------------------------------- the driver (parent)

/** How the controller child runs: its script and node flags. */
interface ChildRunner {
  readonly script: string;
  readonly execArgv: readonly string[];
  readonly tsx: boolean;
  /** For the output. */
  readonly describe: string;
  /** Removes what was built for it. */
  dispose(): void;
}

/**
 * The compiled child (default): `tsc` into a temporary folder, run by plain node with no
 * flags inherited (the parent's are tsx's loader). BENCH_CHILD=tsx: the .ts file with the
 * parent's flags, as before.
 */
async function childRunner(): Promise<ChildRunner> {
  const root = join(__dirname, '..');
  if (CHILD_TSX) {
    return {
      script: join(root, CHILD_ENTRY),
      execArgv: process.execArgv,
      tsx: true,
      describe: `${CHILD_ENTRY} through the tsx loader (BENCH_CHILD=tsx)`,
      dispose: () => {},
    };
  }
  const built: CompiledEntry = await compileForNode(root, CHILD_ENTRY);
  return {
    script: built.path,
    execArgv: [],
    tsx: false,
    describe: `${CHILD_ENTRY} compiled by tsc (${f1(built.compileMs / 1000)} s) and run by plain node ${process.version}, like scripts/start`,
    dispose: built.dispose,
  };
}

class ControllerProcess {
  private next = 1;
  /** The child's report when its runtime had started, before any load. */
  ready!: Ready;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(readonly child: ChildProcess) {
    child.on('message', (r: Reply) => {
      const w = this.waiting.get(r.id);
      if (w === undefined) return;
      this.waiting.delete(r.id);
      if (r.ok) w.resolve(r.result);
      else w.reject(new Error(`controller: ${r.error}`));
    });
    child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`controller exited (${code})`));
      this.waiting.clear();
    });
  }

  static async start(
    runner: ChildRunner,
    ofPort: number,
    dbSock: string,
    storeDir: string,
    withL3 = false,
  ): Promise<ControllerProcess> {
    const prof = process.env.BENCH_CPU_PROF;
    const child = fork(runner.script, [String(ofPort), dbSock, storeDir, withL3 ? 'l3' : 'no-l3'], {
      execArgv: [
        ...runner.execArgv,
        ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`, '--cpu-prof-interval=250'] : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const c = new ControllerProcess(child);
    const ready = await new Promise<Ready>((resolve, reject) => {
      c.waiting.set(0, { resolve: (v) => resolve(v as Ready), reject });
    });
    c.ready = ready;
    if (!runner.tsx && ready.tsxLoaded) {
      await c.stop();
      throw new Error(`the compiled controller child has tsx loaded (execArgv ${ready.execArgv.join(' ')})`);
    }
    return c;
  }

  request<T>(req: RequestBody): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: (v) => resolve(v as T), reject });
      this.child.send({ ...req, id });
    });
  }

  call(module: string, api: string, params: Record<string, unknown>): Promise<unknown> {
    return this.request({ op: 'call', module, api, params });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.disconnect();
    });
  }
}

const hex2 = (n: number) => (n & 255).toString(16).padStart(2, '0');
const pad = (i: number) => String(i).padStart(4, '0');
/** Logical port `i`, host `h` of network `k`: its own MAC and address in that network's subnet. */
const logicalPort = (i: number, k: number, h: number) => ({
  id: `lp${pad(i)}`,
  logicalnetwork: `ln${k}`,
  subnet: `sn${k}`,
  mac_address: `02:00:00:${hex2(k)}:${hex2(h >> 8)}:${hex2(h)}`,
  ip_address: `10.${k + 1}.${(h + 2) >> 8}.${(h + 2) & 255}`,
});
/** Logical port i: network i mod NETWORKS. */
const portItem = (i: number) => logicalPort(i, i % NETWORKS, Math.floor(i / NETWORKS));

/** The flows on a bridge, without counters and names, sorted (ovs-ofctl text). */
async function dump(ovs: OvsInstance, br: string): Promise<string[]> {
  const out = await ovs.ofctl('-O', 'OpenFlow13', '--no-stats', '--no-names', 'dump-flows', br);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes('actions='))
    .sort();
}

/** OVS ports p<from>..p<to-1> bound to lp<i>, 250 per ovs-vsctl call. */
async function addOvsPortRange(ovs: OvsInstance, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += 250) {
    const args: string[] = [];
    for (let i = start; i < Math.min(to, start + 250); i++) {
      args.push('--', ...dummyPortArgs(ovs, `p${pad(i)}`, { ifaceId: `lp${pad(i)}` }));
    }
    await ovs.vsctl(...args.slice(1));
  }
}

const addUplink = (ovs: OvsInstance) =>
  ovs.vsctl('add-port', 'br0', 'eth1', '--', 'set', 'interface', 'eth1', 'type=dummy');

async function addOvsPorts(ovs: OvsInstance, all: number): Promise<void> {
  await addOvsPortRange(ovs, 0, all);
  await addUplink(ovs);
}

async function createTopology(c: ControllerProcess, networks: number): Promise<void> {
  await c.call('viperflow', 'createphysicalnetwork', {
    id: 'pv',
    type: 'vlan',
    vlanrange: [[100, 100 + networks + 99]],
  });
  await c.call('viperflow', 'createphysicalport', { physicalnetwork: 'pv', name: 'eth1' });
  await c.call('viperflow', 'createlogicalnetworks', {
    networks: Array.from({ length: networks }, (_, k) => ({
      id: `ln${k}`,
      physicalnetwork: 'pv',
      vlanid: 100 + k,
    })),
  });
  await c.call('viperflow', 'createsubnets', {
    subnets: Array.from({ length: networks }, (_, k) => ({
      id: `sn${k}`,
      logicalnetwork: `ln${k}`,
      cidr: `10.${k + 1}.0.0/16`,
      gateway: `10.${k + 1}.0.1`,
    })),
  });
}

/** Times of `ovs-ofctl --bundle add-flows` of the flows into a fresh bridge, and whether it then held them. */
interface Baseline {
  readonly times: number[];
  readonly same: boolean;
}

async function ofctlBaseline(
  ovs: OvsInstance,
  flows: readonly string[],
  dir: string,
  name = 'flows.txt',
): Promise<Baseline> {
  const file = join(dir, name);
  writeFileSync(file, `${flows.join('\n')}\n`);
  await ovs.addBridge('brbase', { protocols: 'OpenFlow13', failMode: 'secure' });
  const times: number[] = [];
  let same = false;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    await ovs.ofctl('-O', 'OpenFlow13', '--bundle', 'add-flows', 'brbase', file);
    times.push(ms(t0));
    if (r === 0) {
      const got = await dump(ovs, 'brbase');
      same = got.length === flows.length && got.every((l, k) => l === flows[k]);
    }
    await ovs.ofctl('-O', 'OpenFlow13', 'del-flows', 'brbase');
  }
  await ovs.vsctl('del-br', 'brbase');
  return { times, same };
}

/** CPU time (user + system) of ovs-vswitchd so far, in ms (from /proc, 100 ticks/s). */
function vswitchdCpuMs(ovs: OvsInstance): number {
  const pid = readFileSync(join(ovs.dir, 'ovs-vswitchd.pid'), 'utf8').trim();
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** One part's switch and controller: a fresh OVS whose br0 the controller process has connected. */
interface Part {
  readonly ovs: OvsInstance;
  /** The current controller process (replaced by `restart`). */
  readonly c: ControllerProcess;
  readonly dpid: string;
  readonly dir: string;
  /** Stops the controller and starts a new one on the same store and port; resolves once it is ready. */
  restart(): Promise<ControllerProcess>;
}

/** Runs `body` on a fresh part, prints how long the whole part took, and stops everything. */
async function runPart(
  runner: ChildRunner,
  prefix: string,
  withL3: boolean,
  body: (p: Part) => Promise<void>,
): Promise<void> {
  const tAll = process.hrtime.bigint();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const ovs = await startOvs({ dummy: true, systemId: 'bench-host' });
  const ofPort = await freePort();
  let c = await ControllerProcess.start(runner, ofPort, ovs.dbSock, dir, withL3);
  try {
    await ovs.addBridge('br0', { controllerPort: ofPort, protocols: 'OpenFlow13' });
    const dpid = await c.request<string>({ op: 'connected' });
    await body({
      ovs,
      get c() {
        return c;
      },
      dpid,
      dir,
      async restart() {
        await c.stop();
        c = await ControllerProcess.start(runner, ofPort, ovs.dbSock, dir, withL3);
        return c;
      },
    });
    console.log(`(whole part ${f0(ms(tAll) / 1000)} s)`);
  } finally {
    await c.stop();
    await cleanupAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The large call: FlowSync settled first (`before`), then one timed call that must cause
 * `minFlowMods`, with ovs-vswitchd's CPU time meanwhile and the flows on br0 after it.
 */
async function timedBatch(
  p: Part,
  module: string,
  api: string,
  params: Record<string, unknown>,
  minFlowMods: number,
): Promise<{ before: Settled; batch: TimedCall; ovsCpu: number; flows: string[] }> {
  const before = await p.c.request<Settled>({ op: 'settle', dpid: p.dpid });
  const ovsCpu0 = vswitchdCpuMs(p.ovs);
  const batch = await p.c.request<TimedCall>({
    op: 'timed-call',
    dpid: p.dpid,
    module,
    api,
    params,
    minFlowMods,
  });
  const ovsCpu = vswitchdCpuMs(p.ovs) - ovsCpu0;
  return { before, batch, ovsCpu, flows: await dump(p.ovs, 'br0') };
}

/**
 * Timed calls one after another, each call -> its flows installed; then the figures after
 * the last (`after`, the batch's when there were none), br0's final flows and their baseline.
 */
async function timedCalls(
  p: Part,
  module: string,
  api: string,
  params: readonly Record<string, unknown>[],
  batch: TimedCall,
): Promise<{ more: TimedCall[]; after: TimedCall; finalFlows: string[]; base: Baseline }> {
  const more: TimedCall[] = [];
  for (const one of params) {
    more.push(
      await p.c.request<TimedCall>({
        op: 'timed-call',
        dpid: p.dpid,
        module,
        api,
        params: one,
        minFlowMods: 1,
      }),
    );
  }
  const finalFlows = await dump(p.ovs, 'br0');
  const base = await ofctlBaseline(p.ovs, finalFlows, p.dir);
  return { more, after: more.at(-1) ?? batch, finalFlows, base };
}

/** The figures of the one large call; `flows` is the part's own line on the flow counts. */
function printBatch(title: string, batch: TimedCall, ovsCpu: number, flows: string): void {
  console.log(title);
  console.log(`  the API call                        ${f0(batch.callMs).padStart(6)} ms`);
  console.log(
    `  response -> all flows installed     ${f0(batch.installMs).padStart(6)} ms   (${batch.sent} flow-mods in ${batch.batches} ${BUNDLES ? 'bundles' : 'barriered batches'})`,
  );
  console.log(
    `  CPU from the call to the end of the ${QUIET_MS} ms quiet period: controller ${f0(batch.cpuMs)} ms, ovs-vswitchd ${f0(ovsCpu)} ms`,
  );
  console.log(`  call + install                      ${f0(batch.callMs + batch.installMs).padStart(6)} ms`);
  console.log(flows);
  console.log(
    `  controller RSS ${mb(batch.memory.rss)} (peak ${mb(batch.memory.maxRss)}), heap used ${mb(batch.memory.heapUsed)}`,
  );
}

/** The line on the one-at-a-time calls; `extra` goes at the end of its parenthesis. */
function printMore(what: string, more: readonly TimedCall[], extra = ''): void {
  const totals = more.map((m) => m.callMs + m.installMs);
  console.log(
    `${what}: median ${f1(median(totals))} ms, ` +
      `min ${f1(Math.min(...totals))}, max ${f1(Math.max(...totals))} ` +
      `(call median ${f1(median(more.map((m) => m.callMs)))} ms, install median ${f1(median(more.map((m) => m.installMs)))} ms, ` +
      `flow-mods each ${[...new Set(more.map((m) => m.sent))].join('/')} in ${[...new Set(more.map((m) => m.batches))].join('/')} ${BUNDLES ? 'bundles' : 'batches'}${extra})`,
  );
}

/** The child's memory right after its runtime started: no switch, no store content. */
function printIdle(ready: Ready): void {
  console.log(
    `controller idle after start: RSS ${mb(ready.memory.rss)}, heap used ${mb(ready.memory.heapUsed)}`,
  );
}

/** What the part's load added to the idle child's memory. */
function printLoadCost(idle: Memory, after: Memory): void {
  const plus = (a: number, b: number) => `${b >= a ? '+' : '-'}${mb(Math.abs(b - a))}`;
  console.log(
    `  the load's cost over the idle controller: RSS ${mb(idle.rss)} -> ${mb(after.rss)} (${plus(idle.rss, after.rss)}), ` +
      `heap used ${mb(idle.heapUsed)} -> ${mb(after.heapUsed)} (${plus(idle.heapUsed, after.heapUsed)})`,
  );
}

/** The ovs-ofctl baseline of the final flows and the large call's ratio to its best round. */
function printBaseline(finalFlows: readonly string[], base: Baseline, batch: TimedCall): void {
  const bestBase = Math.min(...base.times);
  console.log(
    `baseline: ovs-ofctl -O OpenFlow13 --bundle add-flows of the final ${finalFlows.length} flows into a fresh bridge ` +
      `(${ROUNDS} rounds): ${base.times.map(f0).join(', ')} ms; same flows as br0: ${base.same ? 'yes' : 'NO'}`,
  );
  console.log(
    `  ratio response->installed / best baseline ${(batch.installMs / bestBase).toFixed(2)}x; ` +
      `call+install / best baseline ${((batch.callMs + batch.installMs) / bestBase).toFixed(2)}x`,
  );
}

/** Deletes and re-creates ports one at a time, then CHURN_BATCH of them in one call each way. */
async function churn(p: Part): Promise<void> {
  const timed = (api: string, params: Record<string, unknown>) =>
    p.c.request<TimedCall>({
      op: 'timed-call',
      dpid: p.dpid,
      module: 'viperflow',
      api,
      params,
      minFlowMods: 1,
    });
  const deletes: TimedCall[] = [];
  const creates: TimedCall[] = [];
  for (let j = 0; j < Math.min(CHURN, PORTS); j++) {
    // Spread over the networks and their hosts.
    const i = (j * 97) % PORTS;
    deletes.push(await timed('deletelogicalport', { id: portItem(i).id }));
    creates.push(await timed('createlogicalport', portItem(i)));
  }
  if (deletes.length > 0) {
    printMore(`churn: delete one port (${deletes.length} times, call -> its flows removed)`, deletes);
    printMore(`churn: create it again (${creates.length} times, call -> its flows installed)`, creates);
  }
  const n = Math.min(CHURN_BATCH, PORTS);
  const items = Array.from({ length: n }, (_, j) => portItem((j * 7) % PORTS));
  const del = await timed('deletelogicalports', { ports: items.map((x) => ({ id: x.id })) });
  const add = await timed('createlogicalports', { ports: items });
  for (const [what, t] of [
    [`churn: delete ${n} ports in one call`, del],
    [`churn: create them again in one call`, add],
  ] as const) {
    console.log(
      `${what}: call ${f0(t.callMs)} ms + install ${f0(t.installMs)} ms = ${f0(t.callMs + t.installMs)} ms ` +
        `(${t.sent} flow-mods in ${t.batches} ${BUNDLES ? 'bundles' : 'batches'}, controller CPU ${f0(t.cpuMs)} ms)`,
    );
  }
  console.log(
    `  after the churn: ${add.desired} flows, controller RSS ${mb(add.memory.rss)} (peak ${mb(add.memory.maxRss)}), heap used ${mb(add.memory.heapUsed)}`,
  );
}

/**
 * A new controller process on the same store and switch: time to converge on what it finds
 * (nothing to send), against `ovs-ofctl --bundle replace-flows` of the same flows.
 */
async function restart(p: Part, desired: number): Promise<void> {
  const flowsBefore = await dump(p.ovs, 'br0');
  const t0 = process.hrtime.bigint();
  const c = await p.restart();
  const tReady = ms(t0);
  const conv = await c.request<Converged>({ op: 'converged', dpid: p.dpid, desired });
  // The fork itself and node's start are in the parent's clock only.
  const wall = tReady + conv.sinceReadyMs;
  const flowsAfter = await dump(p.ovs, 'br0');
  const same = flowsAfter.length === flowsBefore.length && flowsAfter.every((l, k) => l === flowsBefore[k]);
  const file = join(p.dir, 'restart-flows.txt');
  writeFileSync(file, `${flowsBefore.join('\n')}\n`);
  const base: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const b0 = process.hrtime.bigint();
    await p.ovs.ofctl('-O', 'OpenFlow13', '--bundle', 'replace-flows', 'br0', file);
    base.push(ms(b0));
  }
  const sameAfterBase = (await dump(p.ovs, 'br0')).every((l, k) => l === flowsBefore[k]);
  console.log(
    `restart: controller stopped, a new one started on the same store and switch: fork -> converged ${f0(wall)} ms ` +
      `(runtime started ${f0(tReady)} ms; switch connected ${f0(conv.connectedAfterReadyMs)} ms later; ` +
      `${f0(conv.sinceReadyMs)} ms after start an idle FlowSync with all ${conv.desired} flows desired); ` +
      `flow-mods sent ${conv.flowMods}; br0's flows unchanged: ${same ? 'yes' : 'NO'}; RSS ${mb(conv.memory.rss)}`,
  );
  console.log(
    `baseline: ovs-ofctl -O OpenFlow13 --bundle replace-flows of the same ${flowsBefore.length} flows onto br0 (${ROUNDS} rounds): ` +
      `${base.map(f0).join(', ')} ms${sameAfterBase ? '' : ' (flows CHANGED)'}; ratio converged / best ${(wall / Math.min(...base)).toFixed(2)}x`,
  );
}

/**
 * ovs-vswitchd stopped and started again (its flow table comes back empty, the ports and
 * their OpenFlow numbers from OVSDB): from the start command to every flow installed again.
 */
async function switchRestart(p: Part, desired: number): Promise<void> {
  const flowsBefore = await dump(p.ovs, 'br0');
  await p.ovs.stopVswitchd();
  // Asked before the switch is back, so the child sees every flow-mod as it goes.
  const base = (await p.c.request<Settled>({ op: 'settle', dpid: p.dpid })).flowMods;
  const settled = p.c.request<SettledAfter>({
    op: 'settled-after',
    dpid: p.dpid,
    base,
    minFlowMods: desired,
  });
  const t0 = process.hrtime.bigint();
  await p.ovs.startVswitchd();
  const startMs = ms(t0);
  const done = await settled;
  const flowsAfter = await dump(p.ovs, 'br0');
  const same = flowsAfter.length === flowsBefore.length && flowsAfter.every((l, k) => l === flowsBefore[k]);
  console.log(
    `switch restart: ovs-vswitchd stopped and started again (the start command ${f0(startMs)} ms) -> all flows installed again ` +
      `${f0(ms(t0, BigInt(done.doneAt)))} ms after the start command (${done.sent} flow-mods); br0's flows as before: ${same ? 'yes' : 'NO'}`,
  );
}

function portsPart(runner: ChildRunner): Promise<void> {
  return runPart(runner, 'bench-convergence-', false, async (p) => {
    const { ovs, dpid } = p;
    const c = p.c;
    await addOvsPorts(ovs, PORTS + MORE);
    await createTopology(c, NETWORKS);
    const bound = await c.request<number>({ op: 'bound', dpid, count: PORTS + MORE + 1 });

    const { before, batch, ovsCpu, flows } = await timedBatch(
      p,
      'viperflow',
      'createlogicalports',
      { ports: Array.from({ length: PORTS }, (_, i) => portItem(i)) },
      PORTS,
    );
    const rawLines = (await ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', 'br0'))
      .split('\n')
      .filter((l) => l.trim() !== '');
    const wc = rawLines.length;
    // Lines `wc -l` counts that are not flows (reply headers of a multipart dump).
    const other = rawLines.filter((l) => !l.includes('actions='));

    const { more, after, finalFlows, base } = await timedCalls(
      p,
      'viperflow',
      'createlogicalport',
      Array.from({ length: MORE }, (_, j) => portItem(PORTS + j)),
      batch,
    );

    console.log(
      `${PORTS} logical ports in ${NETWORKS} VLAN logical networks (one subnet each), ${bound} OVS ports bound on br0; ` +
        `modules store, openflowmanager, flowsync, pipeline, viperflow, vrouterapi, ovsdbmanager, portbinding, l2, arpresponder, dhcpserver`,
    );
    printIdle(c.ready);
    console.log(
      `before the batch: ${before.desired} flows (pipeline, uplink); controller RSS ${mb(before.memory.rss)}, heap ${mb(before.memory.heapUsed)}`,
    );
    printBatch(
      `one createlogicalports call with ${PORTS} ports:`,
      batch,
      ovsCpu,
      `  flows: FlowSync desired ${batch.desired}, ovs-ofctl dump-flows ${flows.length} (| wc -l: ${wc}, of which ${other.length} not flows${other[0] ? `, e.g. "${other[0].trim().slice(0, 32)}"` : ''})` +
        `${batch.desired === flows.length ? '' : '  MISMATCH'}`,
    );
    const totals = more.map((m) => m.callMs + m.installMs);
    printMore(`one more port (${MORE} times, call -> its flows installed)`, more);
    console.log(
      `  after them: ${after.desired} flows, controller RSS ${mb(after.memory.rss)} (peak ${mb(after.memory.maxRss)}), heap used ${mb(after.memory.heapUsed)}`,
    );
    printLoadCost(c.ready.memory, after.memory);
    printBaseline(finalFlows, base, batch);
    console.log(
      `targets: ${PORTS} ports <= 1 s (response -> installed) ${verdict(batch.installMs <= 1000)}; ` +
        `one more <= 30 ms (median) ${verdict(median(totals) <= 30)}; RSS <= 200 MB ${verdict(after.memory.maxRss <= 200 * 2 ** 20)}`,
    );
    await churn(p);
    await restart(p, after.desired);
    await switchRestart(p, after.desired);
  });
}

// ---------------------------------------------------------------- the ports bound last

/**
 * The order a cloud plugs VMs in: the logical ports exist first, then the OVS ports appear
 * (ovs-vsctl with external_ids:iface-id), and the controller learns of them through OVSDB.
 * Timed from the first ovs-vsctl call to every flow installed; then one more port the same way.
 */
function bindPart(runner: ChildRunner): Promise<void> {
  return runPart(runner, 'bench-convergence-bind-', false, async (p) => {
    const { ovs, dpid } = p;
    const c = p.c;
    await addUplink(ovs);
    await createTopology(c, NETWORKS);
    await c.call('viperflow', 'createlogicalports', {
      ports: Array.from({ length: PORTS + MORE }, (_, i) => portItem(i)),
    });
    const before = await c.request<Settled>({ op: 'settle', dpid });
    // Asked before the ports appear, so the child sees every flow-mod as it goes.
    const settled = c.request<SettledAfter>({
      op: 'settled-after',
      dpid,
      base: before.flowMods,
      minFlowMods: PORTS,
    });
    const t0 = process.hrtime.bigint();
    await addOvsPortRange(ovs, 0, PORTS);
    const vsctlMs = ms(t0);
    const all = await settled;
    const installMs = ms(t0, BigInt(all.doneAt));
    const flows = await dump(ovs, 'br0');

    const more: number[] = [];
    const vsctlMore: number[] = [];
    for (let j = 0; j < MORE; j++) {
      const base = (await c.request<Settled>({ op: 'settle', dpid })).flowMods;
      const one = c.request<SettledAfter>({ op: 'settled-after', dpid, base, minFlowMods: 1 });
      const t = process.hrtime.bigint();
      await addOvsPortRange(ovs, PORTS + j, PORTS + j + 1);
      vsctlMore.push(ms(t));
      more.push(ms(t, BigInt((await one).doneAt)));
    }
    const finalFlows = await dump(ovs, 'br0');
    const base = await ofctlBaseline(ovs, finalFlows, p.dir);
    const bestBase = Math.min(...base.times);

    console.log(
      `ports bound last: ${PORTS + MORE} logical ports in ${NETWORKS} VLAN logical networks created first (flows: ${before.desired}); then the OVS ports`,
    );
    console.log(
      `  ${PORTS} OVS ports added with external_ids:iface-id (${Math.ceil(PORTS / 250)} ovs-vsctl calls, ${f0(vsctlMs)} ms) -> all flows installed ` +
        `${f0(installMs)} ms after the first call (${all.sent} flow-mods); FlowSync desired ${all.desired}, ovs-ofctl dump-flows ${flows.length}` +
        `${all.desired === flows.length ? '' : '  MISMATCH'}`,
    );
    console.log(
      `  one more OVS port (${MORE} times, ovs-vsctl add-port -> its flows installed): median ${f1(median(more))} ms, min ${f1(Math.min(...more))}, max ${f1(Math.max(...more))} ` +
        `(the ovs-vsctl call itself, which waits for ovs-vswitchd: median ${f1(median(vsctlMore))} ms; ` +
        `flows installed after it returned: median ${f1(median(more.map((m, j) => m - vsctlMore[j]!)))} ms)`,
    );
    console.log(`  controller RSS ${mb(all.memory.rss)}, heap used ${mb(all.memory.heapUsed)}`);
    console.log(
      `baseline: ovs-ofctl -O OpenFlow13 --bundle add-flows of the final ${finalFlows.length} flows into a fresh bridge (${ROUNDS} rounds): ` +
        `${base.times.map(f0).join(', ')} ms; same flows as br0: ${base.same ? 'yes' : 'NO'}; ratio first ovs-vsctl -> installed / best ${(installMs / bestBase).toFixed(2)}x`,
    );
  });
}

// ---------------------------------------------------------------- part 2: one router, 50 subnets

/** Logical port i of the router part: network floor(i / R_PER_NET), host i mod R_PER_NET. */
const routerPortItem = (i: number) => logicalPort(i, Math.floor(i / R_PER_NET), i % R_PER_NET);

const routerInterface = (k: number) => ({ router: 'r1', subnet: `sn${k}`, id: `if${k}` });

/** Flows of a raw `dump-flows` text whose cookie is l3's (`0x564c4c33....`). */
const l3Flows = (raw: string) => raw.split('\n').filter((l) => l.includes('cookie=0x564c4c33')).length;

function routerPart(runner: ChildRunner): Promise<void> {
  return runPart(runner, 'bench-convergence-l3-', true, async (p) => {
    const { ovs, c, dpid, dir } = p;
    const extraPorts = R_MORE * R_PER_NET;
    await addOvsPorts(ovs, R_PORTS + extraPorts);
    await createTopology(c, R_NETS + R_MORE);
    await c.call('viperflow', 'createlogicalports', {
      ports: Array.from({ length: R_PORTS + extraPorts }, (_, i) => routerPortItem(i)),
    });
    const bound = await c.request<number>({ op: 'bound', dpid, count: R_PORTS + extraPorts + 1 });
    await c.call('vrouterapi', 'createvirtualrouter', { id: 'r1' });

    const { before, batch, ovsCpu, flows } = await timedBatch(
      p,
      'vrouterapi',
      'addrouterinterfaces',
      { interfaces: Array.from({ length: R_NETS }, (_, k) => routerInterface(k)) },
      R_PORTS,
    );
    const l3After = l3Flows(await ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', 'br0'));

    const { more, after, finalFlows, base } = await timedCalls(
      p,
      'vrouterapi',
      'addrouterinterface',
      Array.from({ length: R_MORE }, (_, j) => routerInterface(R_NETS + j)),
      batch,
    );
    const l3Final = l3Flows(await ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', 'br0'));
    // The work the batch caused: l3's flows alone (--no-stats keeps non-zero cookies).
    const l3Text = finalFlows.filter((l) => l.includes('cookie=0x564c4c33'));
    const l3Base = await ofctlBaseline(ovs, l3Text, dir, 'l3-flows.txt');
    const bestL3Base = Math.min(...l3Base.times);

    console.log(
      `router part: ${R_NETS} VLAN logical networks of ${R_PER_NET} ports (${R_PORTS} ports, one subnet each) and ` +
        `${R_MORE} more networks of ${R_PER_NET} ports, ${bound} OVS ports bound on br0; one virtual router; modules as above plus l3`,
    );
    printIdle(c.ready);
    console.log(
      `before attaching: ${before.desired} flows (pipeline, uplink, l2, arp, dhcp); controller RSS ${mb(before.memory.rss)}, heap ${mb(before.memory.heapUsed)}`,
    );
    printBatch(
      `one addrouterinterfaces call with ${R_NETS} interfaces:`,
      batch,
      ovsCpu,
      `  flows: FlowSync desired ${batch.desired}, ovs-ofctl dump-flows ${flows.length}, of which l3 (cookie 0x564c4c33...) ${l3After}` +
        `${batch.desired === flows.length ? '' : '  MISMATCH'}`,
    );
    printMore(
      `one more subnet (${R_MORE} times, addrouterinterface -> its flows installed)`,
      more,
      `, controller CPU to the end of the quiet period median ${f0(median(more.map((m) => m.cpuMs)))} ms`,
    );
    console.log(
      `  after them: ${after.desired} flows (l3 ${l3Final}), ovs-ofctl dump-flows ${finalFlows.length}` +
        `${after.desired === finalFlows.length ? '' : '  MISMATCH'}, controller RSS ${mb(after.memory.rss)} (peak ${mb(after.memory.maxRss)}), heap used ${mb(after.memory.heapUsed)}`,
    );
    printLoadCost(c.ready.memory, after.memory);
    printBaseline(finalFlows, base, batch);
    console.log(
      `baseline: the same of l3's final ${l3Text.length} flows alone (${ROUNDS} rounds): ${l3Base.times.map(f0).join(', ')} ms; ` +
        `same flows: ${l3Base.same ? 'yes' : 'NO'}; ratio response->installed / best ${(batch.installMs / bestL3Base).toFixed(2)}x`,
    );
  });
}

async function main(): Promise<void> {
  const part = process.env.BENCH_PART ?? 'all';
  if (part !== 'all' && part !== 'ports' && part !== 'router' && part !== 'bind')
    throw new Error(`BENCH_PART=${part}: expected all, ports, bind or router`);
  if (CHILD !== 'compiled' && CHILD !== 'tsx')
    throw new Error(`BENCH_CHILD=${CHILD}: expected compiled or tsx`);
  const runner = await childRunner();
  try {
    console.log(`controller child: ${runner.describe}`);
    if (part === 'all' || part === 'ports') await portsPart(runner);
    if (part === 'all') console.log('');
    if (part === 'all' || part === 'bind') await bindPart(runner);
    if (part === 'all') console.log('');
    if (part === 'all' || part === 'router') await routerPart(runner);
  } finally {
    runner.dispose();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
