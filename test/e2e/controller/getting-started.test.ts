/**
 * docs/getting-started.md, executed: every `curl` command of its `sh` blocks is run with
 * curl, verbatim and in order, against the built controller (only the Web API's address is
 * this test's), beside a private userspace OVS set up as the page's steps 2 and 4 say (bridge
 * br0, uplink eth1, system-id host1, namespaces as VMs on internal ports with the logical
 * port id as iface-id, configured by dhclient). After each step the test checks what the page
 * says the operator sees: DHCP addresses and default routes, no ping across networks nor to
 * the gateways before a router exists, the gateway after the first interface, ping across
 * (TTL 63) after the second, the static route through the router VM, and the observability
 * calls. VM ports, MACs, addresses and gateways are read from the page's own call bodies, so
 * an edit of the page that breaks the walkthrough breaks this test.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addInternalPort,
  cleanupAll,
  createNetns,
  type Netns,
  type OvsInstance,
  pingOutput,
  reachable,
  startDhclient,
  startOvs,
  unreachable,
} from '../../harness';
import { type CliController, startCliController, until } from './cli-controller';

afterAll(cleanupAll);
const dir = mkdtempSync(join(tmpdir(), 'vlcp-e2e-guide-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PAGE = join(__dirname, '..', '..', '..', 'docs', 'getting-started.md');
/** The Web API address the page uses; the test's controller listens elsewhere. */
const PAGE_API = 'http://127.0.0.1:8081';

/** One `curl` command of the page. */
interface PageCall {
  /** 1-based line of the page where the command starts. */
  readonly line: number;
  /** curl's arguments as the shell would pass them, the URL last. */
  readonly args: readonly string[];
  /** `module/api` or `metrics`, without the query. */
  readonly path: string;
  /** The `--json` body, parsed. */
  readonly body?: Readonly<Record<string, unknown>>;
}

class PageFormatError extends Error {
  constructor(line: number, what: string) {
    super(`docs/getting-started.md line ${line}: ${what}`);
    this.name = 'PageFormatError';
  }
}

/**
 * Shell words of the command starting at `text[start]` up to its unquoted end of line:
 * bare words and single-quoted strings (which may span lines), `\` + newline continues,
 * `#` starts a comment. Anything else a shell would interpret is refused, so what curl gets
 * here is what it gets from an operator's shell.
 */
function shellWords(text: string, start: number, line: number): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let i = start;
  const end = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') break;
    if (ch === ' ' || ch === '\t') {
      end();
      i++;
    } else if (ch === '\\' && text[i + 1] === '\n') {
      end();
      i += 2;
    } else if (ch === '#' && word === undefined) {
      break;
    } else if (ch === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) throw new PageFormatError(line, 'unterminated single quote');
      word = (word ?? '') + text.slice(i + 1, close);
      i = close + 1;
    } else if (/[A-Za-z0-9_.:/?=&%@+,-]/.test(ch)) {
      word = (word ?? '') + ch;
      i++;
    } else {
      throw new PageFormatError(
        line,
        `the shell would interpret ${JSON.stringify(ch)}; write curl -s [--json '<json>'] URL`,
      );
    }
  }
  end();
  return words;
}

/** Every `curl` command in the page's `sh` blocks, in order, checked for the page's one form. */
function pageCalls(markdown: string): PageCall[] {
  const calls: PageCall[] = [];
  for (const block of markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    const body = block[1]!;
    const blockStart = block.index! + '```sh\n'.length;
    for (const m of body.matchAll(/^curl\b/gm)) {
      const line = markdown.slice(0, blockStart + m.index!).split('\n').length;
      const args = shellWords(body, m.index!, line).slice(1);
      const url = args.at(-1) ?? '';
      const flags = args.slice(0, -1);
      const form =
        (flags.length === 1 && flags[0] === '-s') ||
        (flags.length === 3 && flags[0] === '-s' && flags[1] === '--json');
      if (!form)
        throw new PageFormatError(line, `expected curl -s [--json '<json>'] URL, got curl ${args.join(' ')}`);
      if (!url.startsWith(`${PAGE_API}/`))
        throw new PageFormatError(line, `the URL must start with ${PAGE_API}/: ${url}`);
      let parsed: Record<string, unknown> | undefined;
      if (flags.length === 3) {
        try {
          parsed = JSON.parse(flags[2]!) as Record<string, unknown>;
        } catch (e) {
          throw new PageFormatError(line, `the --json body is not JSON: ${(e as Error).message}`);
        }
      }
      const path = url.slice(PAGE_API.length + 1).split('?')[0]!;
      calls.push({ line, args, path, ...(parsed ? { body: parsed } : {}) });
    }
  }
  return calls;
}

/** Runs one page call with curl against `api`; the reply's status and body text. */
function curl(call: PageCall, api: string): Promise<{ status: number; text: string }> {
  const args = [
    ...call.args.slice(0, -1),
    api + call.args.at(-1)!.slice(PAGE_API.length),
    '-w',
    '\n%{http_code}',
  ];
  return new Promise((resolve, reject) =>
    execFile('curl', args, { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`curl (page line ${call.line}) failed: ${stderr || err.message}`));
      const cut = stdout.lastIndexOf('\n');
      resolve({ status: Number(stdout.slice(cut + 1)), text: stdout.slice(0, cut) });
    }),
  );
}

interface PortBody {
  readonly id: string;
  readonly subnet: string;
  readonly mac_address: string;
  readonly ip_address: string;
}
interface SubnetBody {
  readonly id: string;
  readonly gateway: string;
}
interface Vm {
  readonly ns: Netns;
  readonly ifname: string;
  readonly ip: string;
}

describe('docs/getting-started.md, run as written (built CLI, userspace OVS, namespaces as VMs)', () => {
  const calls = pageCalls(readFileSync(PAGE, 'utf8'));
  let ovs: OvsInstance;
  let ctl: CliController;
  let next = 0;
  const replies: { call: PageCall; text: string }[] = [];
  const vm: Record<string, Vm> = {};

  /** Runs the page's calls from where it stopped through the next call of `path`, each must answer 200. */
  const runThrough = async (path: string): Promise<PageCall> => {
    const at = calls.findIndex((c, i) => i >= next && c.path === path);
    if (at < 0) throw new Error(`the page has no more calls of ${path} after line ${calls[next - 1]?.line}`);
    for (; next <= at; next++) {
      const call = calls[next]!;
      const r = await curl(call, ctl.api);
      if (r.status !== 200)
        throw new Error(`page line ${call.line} (${call.path}): HTTP ${r.status}: ${r.text}`);
      replies.push({ call, text: r.text });
    }
    return calls[at]!;
  };
  const resultOf = <T>(path: string): T => {
    const r = replies.filter((x) => x.call.path === path).at(-1);
    if (r === undefined) throw new Error(`no reply of ${path} yet`);
    return (JSON.parse(r.text) as { result: T }).result;
  };
  const bodyOf = (path: string): Readonly<Record<string, unknown>> => {
    const c = calls.find((x) => x.path === path && x.body !== undefined);
    if (c === undefined) throw new Error(`the page has no ${path} call with a body`);
    return c.body!;
  };
  const gateway = (subnet: string): string => {
    const s = (bodyOf('viperflow/createsubnets').subnets as SubnetBody[]).find((x) => x.id === subnet);
    if (s === undefined) throw new Error(`the page creates no subnet ${subnet}`);
    return s.gateway;
  };
  /** Step 4 of the page for one port: namespace, internal port with iface-id and MAC, dhclient. */
  const plug = async (p: PortBody): Promise<Vm> => {
    const ns = await createNetns('gs');
    const { ifname } = await addInternalPort(ovs, 'br0', ns, { ifaceId: p.id, mac: p.mac_address });
    const dhcp = startDhclient(ns, ifname);
    await dhcp.bound();
    expect(dhcp.log()).toContain(`DHCPACK of ${p.ip_address} from ${gateway(p.subnet)}`);
    expect(dhcp.log()).toContain(`bound to ${p.ip_address}`);
    vm[p.id] = { ns, ifname, ip: p.ip_address };
    return vm[p.id]!;
  };

  beforeAll(async () => {
    // Step 1 and 2: the controller, br0 in OpenFlow13/secure pointed at it, uplink eth1.
    ovs = await startOvs({ systemId: 'host1' });
    ctl = await startCliController({ ovsdb: `unix:${ovs.dbSock}`, cwd: dir });
    await ovs.addBridge('br0', { controllerPort: ctl.ofPort, protocols: 'OpenFlow13', failMode: 'secure' });
    await ovs.vsctl('add-port', 'br0', 'eth1', '--', 'set', 'interface', 'eth1', 'type=internal');
  }, 300_000);

  afterAll(async () => {
    await ctl?.stop();
  });

  it('step 2: OVS shows its system-id and, under the controller, is_connected: true', async () => {
    expect((await ovs.vsctl('get', 'open', '.', 'external_ids:system-id')).trim()).toBe('host1');
    await until(async () => /is_connected: true/.test(await ovs.vsctl('show')), 'br0 connected');
  }, 300_000);

  it('the page holds the walkthrough as curl commands of one form', () => {
    expect(calls.map((c) => c.path)).toEqual([
      'viperflow/createphysicalnetwork',
      'viperflow/createphysicalport',
      'viperflow/createlogicalnetworks',
      'viperflow/createsubnets',
      'viperflow/createlogicalports',
      'vrouterapi/createvirtualrouter',
      'vrouterapi/addrouterinterface',
      'vrouterapi/addrouterinterface',
      'viperflow/createlogicalport',
      'vrouterapi/updatevirtualrouter',
      'viperflow/listlogicalports',
      'portbinding/whereis',
      'flowsync/status',
      'dhcpserver/stats',
      'l2/l2status',
      'l3/stats',
      'metrics',
    ]);
    // The extractor refuses what a shell would read differently than it does.
    expect(() => pageCalls('```sh\ncurl -s --json "{}" http://127.0.0.1:8081/a/b\n```\n')).toThrow(
      /line 2: the shell would interpret/,
    );
    expect(() => pageCalls("```sh\ncurl -d '{}' http://127.0.0.1:8081/a/b\n```\n")).toThrow(
      /line 2: expected curl -s/,
    );
  });

  it('step 3: the network calls are accepted; the logical networks get VLAN ids 100 and 101', async () => {
    await runThrough('viperflow/createlogicalports');
    const nets = resultOf<{ id: string; vlanid: number }[]>('viperflow/createlogicalnetworks');
    expect(nets.map((n) => n.vlanid)).toEqual([100, 101]);
    const ports = resultOf<PortBody[]>('viperflow/createlogicalports');
    for (const p of bodyOf('viperflow/createlogicalports').ports as PortBody[])
      expect(ports).toContainEqual(expect.objectContaining({ id: p.id, ip_address: p.ip_address }));
  }, 120_000);

  it('step 4: plugged in, each VM gets its address and default route by DHCP; nothing crosses networks', async () => {
    for (const p of bodyOf('viperflow/createlogicalports').ports as PortBody[]) {
      const v = await plug(p);
      expect(await v.ns.exec('ip', '-4', 'addr', 'show', v.ifname)).toContain(`inet ${p.ip_address}/24`);
      expect(await v.ns.exec('ip', 'route')).toContain(`default via ${gateway(p.subnet)} dev ${v.ifname}`);
    }
    expect(await unreachable(vm.vm1!.ns, vm.vm2!.ip)).toBe(true);
    expect(await unreachable(vm.vm1!.ns, gateway('subnet1'))).toBe(true);
    expect(await unreachable(vm.vm2!.ns, gateway('subnet2'))).toBe(true);
  }, 600_000);

  it('step 5: with subnet1 attached the gateway answers (ttl=64), vm2 does not', async () => {
    await runThrough('vrouterapi/addrouterinterface');
    expect(await reachable(vm.vm1!.ns, gateway('subnet1'))).toBe(true);
    expect(await pingOutput(vm.vm1!.ns, gateway('subnet1'))).toMatch(/ttl=64/);
    expect(await unreachable(vm.vm1!.ns, vm.vm2!.ip)).toBe(true);
    const gw = gateway('subnet1').replaceAll('.', '\\.');
    expect(await pingOutput(vm.vm1!.ns, vm.vm2!.ip)).toMatch(
      new RegExp(`From ${gw} icmp_seq=1 Destination Net Unreachable`),
    );
  }, 300_000);

  it('step 5: with subnet2 attached too, vm1 and vm2 ping each other through the router (ttl=63)', async () => {
    await runThrough('vrouterapi/addrouterinterface');
    expect(await reachable(vm.vm1!.ns, vm.vm2!.ip)).toBe(true);
    expect(await reachable(vm.vm2!.ns, vm.vm1!.ip)).toBe(true);
    expect(await pingOutput(vm.vm1!.ns, vm.vm2!.ip)).toMatch(/ttl=63/);
  }, 300_000);

  it('step 6: a static route through the router VM (allowed_address_pairs) answers from behind it (ttl=63)', async () => {
    await runThrough('vrouterapi/updatevirtualrouter');
    const p = bodyOf('viperflow/createlogicalport') as unknown as PortBody;
    // The network behind the router VM is the page's route; whether the VM may answer from
    // it is up to the page's allowed_address_pairs.
    const [route] = bodyOf('vrouterapi/updatevirtualrouter').routes as [string, string][];
    expect(route![1]).toBe(p.ip_address);
    const first = route![0].replace(/\.0\/\d+$/, '.1');
    expect(first).toBe('192.168.50.1');
    const r = await plug(p);
    expect(await r.ns.exec('ip', '-4', 'addr', 'show', r.ifname)).toContain(`inet ${p.ip_address}/24`);
    await r.ns.exec('ip', 'link', 'set', 'lo', 'up');
    await r.ns.exec('ip', 'addr', 'add', `${first}/32`, 'dev', 'lo');
    expect(await reachable(vm.vm1!.ns, first)).toBe(true);
    expect(await pingOutput(vm.vm1!.ns, first)).toMatch(/ttl=63/);
    expect(await reachable(vm.vm2!.ns, r.ip)).toBe(true);
    expect(await pingOutput(vm.vm2!.ns, r.ip)).toMatch(/ttl=64/);
  }, 600_000);

  it('step 7: the observability calls say what the page says', async () => {
    await runThrough('metrics');
    expect(next).toBe(calls.length);
    expect(resultOf<{ id: string }[]>('viperflow/listlogicalports')).toEqual([
      expect.objectContaining({ id: 'vm1', mac_address: '02:00:00:00:01:0a', ip_address: '10.1.0.10' }),
    ]);
    expect(resultOf<unknown[]>('portbinding/whereis')).toEqual([
      expect.objectContaining({ systemId: 'host1', bridge: 'br0', name: vm.vm1!.ifname }),
    ]);
    const sync = resultOf<{ connected: boolean; failures: number; flows: number }[]>('flowsync/status');
    expect(sync).toHaveLength(1);
    expect(sync[0]).toMatchObject({ connected: true, failures: 0 });
    expect(resultOf<{ ports: number; replies: number }>('dhcpserver/stats')).toMatchObject({
      ports: 3,
      replies: 6,
    });
    const l2 = resultOf<{ networks: { id: string; local: boolean }[] }>('l2/l2status');
    expect(l2.networks).toEqual([
      expect.objectContaining({ id: 'net1', local: true }),
      expect.objectContaining({ id: 'net2', local: true }),
    ]);
    const l3 = resultOf<{ routers: number; netUnreachable: number }>('l3/stats');
    expect(l3.routers).toBe(1);
    expect(l3.netUnreachable).toBeGreaterThan(0);
    const metrics = replies.find((x) => x.call.path === 'metrics')!.text;
    expect(metrics).toMatch(/^vlcp_openflow_switches_connected 1$/m);
    expect(metrics).toMatch(/^vlcp_flowsync_failures_total/m);

    // The switch side, as the page's commands (the VM's port name is this test's).
    const page = readFileSync(PAGE, 'utf8');
    expect(page).toMatch(/^ovs-ofctl -O OpenFlow13 dump-flows br0$/m);
    const flows = await ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', 'br0');
    const routed = flows
      .split('\n')
      .find((l) => l.includes('cookie=0x564c4c3300000001') && l.includes(`nw_dst=${vm.vm2!.ip}`));
    expect(routed).toBeDefined();
    expect(Number(/n_packets=(\d+)/.exec(routed!)![1])).toBeGreaterThan(0);
    const spec = /^ovs-appctl ofproto\/trace br0 (in_port=vm1,\S+)$/m.exec(page)?.[1];
    expect(spec).toBeDefined();
    const trace = await ovs.appctl(
      'ofproto/trace',
      'br0',
      spec!.replace('in_port=vm1', `in_port=${vm.vm1!.ifname}`),
    );
    const actions = /^Datapath actions: (.*)$/m.exec(trace)?.[1];
    expect(actions).toContain('set(eth(src=02:56:4c:00:00:01,dst=02:00:00:00:02:14))');
    expect(actions).toMatch(/set\(ipv4\([^)]*ttl=63/);
  }, 300_000);
});
