/**
 * FlowSync against a private OVS (dummy datapath): a runtime of openflowmanager + flowsync
 * keeps 10,000 flows on one bridge. Measured from the desired-set change (FlowSyncApi.replace
 * or update) to FlowSync's idle() (the barrier reply, or the bundle commit reply): a full
 * install into an empty bridge, its removal, and 1-flow changes (median, p99), with bundles
 * and without. Baseline in the same run: `ovs-ofctl -O OpenFlow13 add-flows` and
 * `--bundle add-flows` of the same flows written as ovs-ofctl text, into an empty bridge
 * (process start included: that is what the command costs). The flows both wrote are
 * compared (`dump-flows --no-stats`) so the two sides did the same work.
 * Run: npm run bench:flowsync   (BENCH_FLOWS=10000, BENCH_ROUNDS=3, BENCH_CHANGES=50)
 * BENCH_PROFILE=1 also samples this process' CPU (the controller: FlowSync and the OpenFlow
 * connection run here) during the full installs and prints where it went; the times of such
 * a run are inflated by the sampling and not comparable with an unprofiled run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Profiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Flow, type Flow13, flow13 } from '../src/modules/flowsync';
import { buildMatch, ipv4Prefix } from '../src/openflow/oxm';
import type { MacAddress } from '../src/openflow/packet/mac-address';
import { type DatapathId, toDatapathId } from '../src/openflow/protocol';
import { cleanupAll, freePort, type OvsInstance, startOvs } from '../test/harness';
import { until } from '../test/harness/until';
import { startController } from '../test/integration/modules/flowsync/controller';

const FLOWS = Number(process.env.BENCH_FLOWS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 50);
const PROFILE = process.env.BENCH_PROFILE === '1';

const hex2 = (n: number) => (n & 255).toString(16).padStart(2, '0');
const macOf = (i: number) => `02:00:00:${hex2(i >> 16)}:${hex2(i >> 8)}:${hex2(i)}` as MacAddress;

/**
 * Flow i, as FlowSync takes it and as ovs-ofctl text: four tables, seven priorities; half
 * match in_port + eth_src, half ip + metadata + an ipv4_dst prefix; a third output to a
 * port, the rest set_field + write_metadata + goto_table. `variant` changes the output port.
 */
function flowPair(i: number, variant = 0): { flow: Flow<Flow13>; text: string } {
  const table = i % 4;
  const priority = 100 + (i % 7);
  const cookie = BigInt(i);
  const mac = macOf(i);
  const even = i % 2 === 0;
  const net = `10.${(i >> 8) & 255}.${i & 255}.0/24`;
  const output = i % 3 === 2;
  const port = 1 + ((i + variant) % 30);
  const flow = flow13({
    table,
    priority,
    match: even
      ? buildMatch({ in_port: 1 + (i % 30), eth_src: mac })
      : buildMatch({ metadata: BigInt(i), ipv4_dst: ipv4Prefix(net) }),
    instructions: output
      ? [{ type: 'apply_actions', actions: [{ type: 'output', port, maxLen: 0 }] }]
      : [
          {
            type: 'apply_actions',
            actions: [{ type: 'set_field', field: { field: 'eth_dst', value: mac } }],
          },
          { type: 'write_metadata', metadata: BigInt(i), metadataMask: 0xffffffffn },
          { type: 'goto_table', tableId: table + 1 },
        ],
    cookie,
  } as Flow13);
  const match = even
    ? `in_port=${1 + (i % 30)},dl_src=${mac}`
    : `ip,metadata=0x${i.toString(16)},nw_dst=${net}`;
  const actions = output
    ? `output:${port}`
    : `set_field:${mac}->eth_dst,write_metadata:0x${i.toString(16)}/0xffffffff,goto_table:${table + 1}`;
  const text = `table=${table},priority=${priority},cookie=0x${flow.cookie.toString(16)},${match},actions=${actions}`;
  return { flow, text };
}

type Profile = Profiler.Profile;

/**
 * The controller's CPU in the timed windows, by V8's sampling profiler (100 µs). A sample
 * counts towards a category when any frame of its stack belongs to it, so categories
 * overlap; shares are of the samples that are not idle.
 */
class WindowProfiler {
  private readonly session = new Session();
  private readonly profiles: Profile[] = [];

  async open(): Promise<void> {
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: 100 });
  }

  async start(): Promise<void> {
    await this.session.post('Profiler.start');
  }

  async stop(): Promise<void> {
    const { profile } = await this.session.post('Profiler.stop');
    this.profiles.push(profile);
  }

  /** Categories of the samples: frames matching each predicate anywhere in the stack. */
  summary(categories: Readonly<Record<string, (name: string, url: string) => boolean>>): string[] {
    let active = 0;
    const counts = new Map<string, number>(Object.keys(categories).map((k) => [k, 0]));
    const self = new Map<string, number>();
    for (const profile of this.profiles) {
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const parent = new Map<number, number>();
      for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
      for (const id of profile.samples ?? []) {
        const leaf = byId.get(id)!;
        if (leaf.callFrame.functionName === '(idle)') continue;
        active++;
        const where = `${leaf.callFrame.functionName || '(anonymous)'} ${leaf.callFrame.url.replace(/^.*\/src\//, 'src/')}`;
        self.set(where, (self.get(where) ?? 0) + 1);
        const hit = new Set<string>();
        for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
          const { functionName, url } = byId.get(n)!.callFrame;
          for (const [k, test] of Object.entries(categories)) if (test(functionName, url)) hit.add(k);
        }
        for (const k of hit) counts.set(k, counts.get(k)! + 1);
      }
    }
    const pct = (n: number) => `${((100 * n) / Math.max(1, active)).toFixed(1)}%`;
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 12);
    return [
      `  ${active} non-idle samples of 100 µs`,
      ...[...counts].map(([k, n]) => `  ${k.padEnd(52)} ${pct(n).padStart(6)}`),
      '  most self time:',
      ...top.map(([where, n]) => `    ${pct(n).padStart(6)}  ${where}`),
    ];
  }
}

/** What the profile summary sorts samples into (see WindowProfiler.summary). */
const PROFILE_CATEGORIES: Readonly<Record<string, (name: string, url: string) => boolean>> = {
  'sendInBundle (open, adds, barrier, commit)': (n) => n === 'sendInBundle',
  'encoding and copying the messages (codec, wrap, concat)': (n, url) =>
    n.startsWith('encode') ||
    n === 'wrapInBundle' ||
    n === 'toBuffer' ||
    url.includes('/openflow/codec/') ||
    (url === 'node:buffer' && (n === 'concat' || n === 'from')),
  'socket writes': (_n, url) => url === 'node:net' || url.startsWith('node:internal/stream_base'),
  'FlowSync: desired set, diff, plan (replace, diffFlows, planMessages)': (n) =>
    n === 'replace' || n === 'diffFlows' || n === 'planMessages' || n === 'applyPlan' || n === 'flowMod',
  'garbage collection': (n) => n === '(garbage collector)',
};

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);
const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

/** Our flows on a bridge, as ovs-ofctl prints them without counters, sorted. */
async function dump(ovs: OvsInstance, br: string): Promise<string[]> {
  const out = await ovs.ofctl('-O', 'OpenFlow13', '--no-stats', 'dump-flows', br);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes('cookie=0x564c'))
    .sort();
}

async function countFlows(ovs: OvsInstance, br: string): Promise<number> {
  return (await dump(ovs, br)).length;
}

interface OfctlResult {
  readonly plain: number[];
  readonly bundle: number[];
  readonly flows: string[];
}

async function ofctlBaseline(ovs: OvsInstance, file: string): Promise<OfctlResult> {
  await ovs.addBridge('brofctl', { protocols: 'OpenFlow13' });
  const plain: number[] = [];
  const bundle: number[] = [];
  let flows: string[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const [times, extra] of [
      [plain, []],
      [bundle, ['--bundle']],
    ] as const) {
      const t0 = process.hrtime.bigint();
      await ovs.ofctl('-O', 'OpenFlow13', ...extra, 'add-flows', 'brofctl', file);
      times.push(ms(t0));
      if (r === 0 && extra.length === 0) flows = await dump(ovs, 'brofctl');
      const n = await countFlows(ovs, 'brofctl');
      if (n !== FLOWS) throw new Error(`ovs-ofctl add-flows left ${n} flows, expected ${FLOWS}`);
      await ovs.ofctl('-O', 'OpenFlow13', 'del-flows', 'brofctl');
    }
  }
  await ovs.vsctl('del-br', 'brofctl');
  return { plain, bundle, flows };
}

interface SyncResult {
  readonly install: number[];
  /** CPU time of this process (the controller) during each full install, ms. */
  readonly installCpu: number[];
  readonly remove: number[];
  readonly change: number[];
  readonly flows: string[];
}

async function flowSyncRun(
  ovs: OvsInstance,
  bundles: boolean,
  desired: readonly Flow<Flow13>[],
  profiler?: WindowProfiler,
): Promise<SyncResult> {
  const br = bundles ? 'brbundle' : 'brplain';
  const port = await freePort();
  const ctl = await startController(port, bundles);
  try {
    await ovs.addBridge(br, { controllerPort: port, protocols: 'OpenFlow13' });
    const dpid: DatapathId = toDatapathId((await ovs.vsctl('get', 'bridge', br, 'datapath_id')).trim());
    await until(() => ctl.sync.status().find((s) => s.datapathId === dpid && s.connected), 'switch up');
    await ctl.sync.idle(dpid);
    const install: number[] = [];
    const installCpu: number[] = [];
    const remove: number[] = [];
    let flows: string[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      await profiler?.start();
      let t0 = process.hrtime.bigint();
      const cpu0 = process.cpuUsage();
      ctl.sync.replace('bench', dpid, desired);
      await ctl.sync.idle(dpid);
      install.push(ms(t0));
      const cpu = process.cpuUsage(cpu0);
      installCpu.push((cpu.user + cpu.system) / 1000);
      await profiler?.stop();
      const n = await countFlows(ovs, br);
      if (n !== FLOWS) throw new Error(`FlowSync left ${n} flows, expected ${FLOWS}`);
      if (r === ROUNDS - 1) break;
      t0 = process.hrtime.bigint();
      ctl.sync.replace('bench', dpid, []);
      await ctl.sync.idle(dpid);
      remove.push(ms(t0));
      const left = await countFlows(ovs, br);
      if (left !== 0) throw new Error(`FlowSync left ${left} flows after removing all`);
    }
    flows = await dump(ovs, br);
    // 1-flow changes: the output port of an output flow, each change a real one.
    const change: number[] = [];
    const before = ctl.sync.status().find((s) => s.datapathId === dpid)!.flowMods;
    for (let k = 0; k < CHANGES + 5; k++) {
      const i = 3 * ((k * 37) % Math.floor(FLOWS / 3)) + 2;
      const { flow } = flowPair(i, 1 + (k % 2));
      const t0 = process.hrtime.bigint();
      ctl.sync.update('bench', dpid, [flow]);
      await ctl.sync.idle(dpid);
      if (k >= 5) change.push(ms(t0)); // the first few warm the path up
    }
    const sent = ctl.sync.status().find((s) => s.datapathId === dpid)!.flowMods - before;
    if (sent !== CHANGES + 5) throw new Error(`${CHANGES + 5} one-flow changes sent ${sent} flow-mods`);
    await ovs.vsctl('del-br', br);
    return { install, installCpu, remove, change, flows };
  } finally {
    await ctl.runtime.stop();
  }
}

async function main(): Promise<void> {
  let t0 = process.hrtime.bigint();
  const pairs = Array.from({ length: FLOWS }, (_, i) => flowPair(i));
  const built = ms(t0);
  const desired = pairs.map((p) => p.flow);
  const dir = mkdtempSync(join(tmpdir(), 'bench-flowsync-'));
  const file = join(dir, 'flows.txt');
  writeFileSync(file, `${pairs.map((p) => p.text).join('\n')}\n`);
  const ovs = await startOvs({ dummy: true });
  try {
    t0 = process.hrtime.bigint();
    const ofctl = await ofctlBaseline(ovs, file);
    const profiler = PROFILE ? new WindowProfiler() : undefined;
    await profiler?.open();
    const withBundles = await flowSyncRun(ovs, true, desired, profiler);
    const without = await flowSyncRun(ovs, false, desired);
    const same = (a: string[], b: string[]) => a.length === b.length && a.every((l, k) => l === b[k]);

    const range = (xs: readonly number[]) =>
      `${f0(Math.min(...xs))}–${f0(Math.max(...xs))} ms`.replace(/^(\d+)–\1 ms$/, '$1 ms');
    const best = (xs: readonly number[]) => Math.min(...xs);
    console.log(
      `${FLOWS} flows in 4 tables; building them with flow13(): ${f0(built)} ms (not counted below)`,
    );
    console.log(
      `same flows on the switch as ovs-ofctl's: bundles ${same(withBundles.flows, ofctl.flows) ? 'yes' : 'NO'}, ` +
        `no bundles ${same(without.flows, ofctl.flows) ? 'yes' : 'NO'}`,
    );
    console.log(`full install into an empty bridge (${ROUNDS} rounds: range, best):`);
    console.log(`  ovs-ofctl add-flows (baseline)          ${range(ofctl.plain).padStart(16)}`);
    console.log(`  ovs-ofctl --bundle add-flows (baseline) ${range(ofctl.bundle).padStart(16)}`);
    const ratioLine = (label: string, xs: readonly number[]) =>
      console.log(
        `  ${label.padEnd(39)} ${range(xs).padStart(16)}   best/best ${(best(xs) / best(ofctl.plain)).toFixed(2)}x of add-flows, ${(best(xs) / best(ofctl.bundle)).toFixed(2)}x of --bundle add-flows`,
      );
    ratioLine('FlowSync, bundles', withBundles.install);
    ratioLine('FlowSync, no bundles', without.install);
    console.log(`  controller CPU in those installs (this process, user + system; less load-sensitive):`);
    console.log(`  FlowSync, bundles                       ${range(withBundles.installCpu).padStart(16)}`);
    console.log(`  FlowSync, no bundles                    ${range(without.installCpu).padStart(16)}`);
    // Removal is measured between rounds: one round has none.
    if (withBundles.remove.length > 0) {
      console.log(`removing all ${FLOWS} (replace with nothing):`);
      console.log(`  FlowSync, bundles                       ${range(withBundles.remove).padStart(16)}`);
      console.log(`  FlowSync, no bundles                    ${range(without.remove).padStart(16)}`);
    }
    console.log(`1-flow change with ${FLOWS} installed (${CHANGES} changes):`);
    for (const [label, r] of [
      ['bundles', withBundles],
      ['no bundles', without],
    ] as const) {
      console.log(
        `  FlowSync, ${label.padEnd(10)}  median ${f1(quantile(r.change, 0.5))} ms, p99 ${f1(quantile(r.change, 0.99))} ms, max ${f1(Math.max(...r.change))} ms`,
      );
    }
    const ratio = (r: SyncResult) => best(r.install) / best(ofctl.plain);
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(
      `target full install within 1.5x of ovs-ofctl add-flows: bundles ${verdict(ratio(withBundles) <= 1.5)}, ` +
        `no bundles ${verdict(ratio(without) <= 1.5)}`,
    );
    console.log(
      `target 1-flow change < 20 ms (p99): bundles ${verdict(quantile(withBundles.change, 0.99) < 20)}, ` +
        `no bundles ${verdict(quantile(without.change, 0.99) < 20)}`,
    );
    if (profiler !== undefined) {
      console.log(`CPU of this process during the ${ROUNDS} bundled full installs (BENCH_PROFILE=1):`);
      for (const line of profiler.summary(PROFILE_CATEGORIES)) console.log(line);
    }
    console.log(`(whole run ${f0(ms(t0) / 1000)} s)`);
  } finally {
    await cleanupAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
