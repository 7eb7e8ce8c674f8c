import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDummyPort, cleanupAll, createNetns, freePort, type OvsInstance, startOvs } from '../../harness';
import { type CliRun, MAIN, spawnCli, startCli, until } from './cli-process';

afterAll(cleanupAll);
const dir = mkdtempSync(join(tmpdir(), 'vlcp-controller-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ListedSwitch {
  readonly datapathid: string;
  readonly version: string;
  readonly ports: readonly { readonly portno: number; readonly name: string }[];
}
interface ListedBinding {
  readonly bridge: string;
  readonly portNo: number;
  readonly name: string;
  readonly logicalPortId?: string;
}

describe('the built controller (vlcp-ts start) beside a private OVS', () => {
  let ovs: OvsInstance;
  let run: CliRun;
  let api: string;
  const get = async <T>(path: string): Promise<T> => {
    const r = await fetch(`${api}${path}`);
    const body = (await r.json()) as { result: T };
    expect(r.status).toBe(200);
    return body.result;
  };

  beforeAll(async () => {
    ovs = await startOvs({ dummy: true });
    const ofPort = await freePort();
    run = startCli(
      [
        '--openflow-listen',
        `127.0.0.1:${ofPort}`,
        '--ovsdb',
        `unix:${ovs.dbSock}`,
        '--webapi-listen',
        '127.0.0.1:0',
        '--store',
        `embedded:${join(dir, 'store')}`,
      ],
      dir,
    );
    api = String((await run.waitForLog('Web API listening')).url);
    await run.waitForLog('started');
    await ovs.addBridge('br0', { controllerPort: ofPort, protocols: 'OpenFlow10,OpenFlow13' });
  });
  afterAll(() => {
    if (run.child.exitCode === null) run.child.kill('SIGKILL');
  });

  it('lists the switch set-controller pointed at it, with its ports', async () => {
    await addDummyPort(ovs, 'p1', { settings: ['ofport_request=3'] });
    const dpid = (await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id')).trim().replace(/"/g, '');
    const sw = await until(async () => {
      const s = (await get<ListedSwitch[]>('/openflowmanager/listswitches')).find(
        (x) => x.datapathid === dpid,
      );
      return s?.ports.some((p) => p.name === 'p1') ? s : undefined;
    }, 'br0 with p1 in listswitches');
    expect(sw.version).toBe('OpenFlow 1.3');
    expect(sw.ports.find((p) => p.name === 'p1')?.portno).toBe(3);
    expect(sw.ports.some((p) => p.name === 'br0')).toBe(true);
    const up = await run.waitForLog('switch up', (l) => l.dpid === dpid);
    expect(up).toMatchObject({
      version: 'OpenFlow 1.3',
      remote: expect.stringMatching(/^tcp:127\.0\.0\.1:/),
    });
  });

  it('binds a port added with an iface-id to its logical port', async () => {
    await ovs.vsctl(
      'add-port',
      'br0',
      'vm1',
      '--',
      'set',
      'interface',
      'vm1',
      'type=dummy',
      'ofport_request=5',
      'external_ids:iface-id=lp-1',
    );
    const b = await until(async () => {
      const all = await get<ListedBinding[]>('/portbinding/listbindings');
      return all.find((x) => x.logicalPortId === 'lp-1');
    }, 'vm1 bound to lp-1');
    expect(b).toMatchObject({ bridge: 'br0', portNo: 5, name: 'vm1', logicalPortId: 'lp-1' });
    expect(await get<ListedBinding[]>('/portbinding/listbindings?logicalport=lp-1')).toHaveLength(1);
  });

  it('serves /metrics with the connected switch and its FlowSync read-back', async () => {
    const text = await until(async () => {
      const t = await (await fetch(`${api}/metrics`)).text();
      return /^vlcp_openflow_switches_connected 1$/m.test(t) ? t : undefined;
    }, 'the switch in /metrics');
    expect(text).toMatch(/^vlcp_flowsync_resyncs_total [1-9]/m);
    expect(text).toMatch(/^vlcp_flowsync_failures_total 0$/m);
    expect(text).toMatch(/^vlcp_objectdb_transaction_retries_total \d+$/m);
    expect(text).toMatch(/^vlcp_api_calls_total\{module="portbinding",api="listbindings"\} [1-9]/m);
  });

  it('logs where it listens and a switch that leaves', async () => {
    expect(run.logs().filter((l) => l.msg === 'OpenFlow listening')).toHaveLength(1);
    await ovs.vsctl('del-controller', 'br0');
    await run.waitForLog('switch down');
    expect(await get<ListedSwitch[]>('/openflowmanager/listswitches')).toEqual([]);
  });

  it('stops cleanly on SIGTERM', async () => {
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    await run.waitForLog('stopped');
    expect(run.logs().some((l) => (l.level as number) >= 50)).toBe(false);
  });
});

describe('a fresh clone: vlcp-ts start with no flags', () => {
  it('comes up on the embedded store in its cwd, and a bridge pointed at tcp:127.0.0.1:6653 connects', async () => {
    // A namespace of its own: the default ports (6653, 8081) are free there, and with /run
    // hidden the default --ovsdb (unix:/var/run/openvswitch/db.sock) reaches no system OVS.
    const ns = await createNetns('vfc');
    const ovs = await startOvs({ dummy: true, netns: ns.name });
    const cwd = mkdtempSync(join(dir, 'fresh-'));
    const run = spawnCli(
      'ip',
      [
        'netns',
        'exec',
        ns.name,
        'sh',
        '-c',
        `mount -t tmpfs vlcp-test /run && exec "$0" "$1" start`,
        process.execPath,
        MAIN,
      ],
      cwd,
    );
    try {
      expect((await run.waitForLog('store open')).url).toBe('embedded:./data');
      expect((await run.waitForLog('Web API listening')).url).toBe('http://127.0.0.1:8081');
      await run.waitForLog('started');
      expect(readdirSync(cwd)).toContain('data');
      await ovs.addBridge('br0', { controllerPort: 6653, protocols: 'OpenFlow13' });
      const dpid = (await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id')).trim().replace(/"/g, '');
      await until(async () => {
        const out = await ns.exec('curl', '-sf', 'http://127.0.0.1:8081/openflowmanager/listswitches');
        const listed = (JSON.parse(out) as { result: ListedSwitch[] }).result;
        return listed.some((s) => s.datapathid === dpid) ? true : undefined;
      }, 'br0 in listswitches on 127.0.0.1:8081');
      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(0);
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      await ovs.stop();
      await ns.delete();
    }
  });
});
