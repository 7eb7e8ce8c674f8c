import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  addInternalPort,
  addVethPort,
  cleanupAll,
  createNetns,
  ofport,
  run,
  startOvs,
  startRedis,
  startZookeeper,
} from '../../harness';
import { script } from '../../harness/run';

afterAll(cleanupAll);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function pidOf(file: string): Promise<number> {
  return Number((await run('cat', [file])).trim());
}

describe('private Open vSwitch', () => {
  it('starts, makes a bridge that ovs-ofctl can read, answers OVSDB over TCP, and stops by PID', async () => {
    const ovs = await startOvs({ systemId: 'host-a' });
    expect(ovs.netns).toBeDefined();
    await ovs.addBridge('br0');
    const flows = await ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', 'br0');
    expect(flows).toMatch(/OFPST_FLOW reply \(OF1\.3\)/);
    expect(await run('ovsdb-client', ['list-dbs', `tcp:127.0.0.1:${ovs.dbTcpPort}`])).toContain(
      'Open_vSwitch',
    );
    expect((await ovs.vsctl('get', 'Open_vSwitch', '.', 'external_ids:system-id')).trim()).toBe('host-a');
    expect(await ovs.appctl('version')).toMatch(/ovs-vswitchd/);
    const pids = [
      await pidOf(join(ovs.dir, 'ovsdb-server.pid')),
      await pidOf(join(ovs.dir, 'ovs-vswitchd.pid')),
    ];
    expect(pids.every(alive)).toBe(true);
    await ovs.stop();
    expect(pids.some(alive)).toBe(false);
    expect(existsSync(ovs.dir)).toBe(false);
  });

  it('runs dummy instances side by side in the root namespace', async () => {
    const [x, y] = await Promise.all([startOvs({ dummy: true }), startOvs({ dummy: true })]);
    for (const ovs of [x, y]) {
      expect(ovs.netns).toBeUndefined();
      await ovs.addBridge('br0');
      await ovs.vsctl('add-port', 'br0', 'p1', '--', 'set', 'interface', 'p1', 'type=internal');
      expect((await ovs.vsctl('get', 'interface', 'p1', 'ofport')).trim()).toBe('1');
      expect(await ovs.ofctl('show', 'br0')).toMatch(/1\(p1\)/);
    }
    await Promise.all([x.stop(), y.stop()]);
  });

  it('restarts ovs-vswitchd alone, keeping the database', async () => {
    const ovs = await startOvs();
    await ovs.addBridge('br1');
    await ovs.stopVswitchd();
    await ovs.startVswitchd();
    expect(await ovs.ofctl('dump-flows', 'br1')).toMatch(/(OFPST|NXST)_FLOW reply/);
    await ovs.stop();
  });

  it('says what went wrong when a daemon cannot start', async () => {
    await expect(script('ovs-start', ['/proc/no-such-dir/x'])).rejects.toThrow(/ovs-start|mkdir|cannot/i);
    await expect(script('redis-start', ['/tmp/vlcp-never', 'notaport'])).rejects.toThrow(/redis/);
  });

  it('carries a ping between two namespaces only once flows allow it', async () => {
    const ovs = await startOvs();
    await ovs.addBridge('br0');
    const a = await createNetns('ha');
    const b = await createNetns('hb');
    const pa = await addVethPort(ovs, 'br0', a, { address: '10.77.0.1/24' });
    const pb = await addInternalPort(ovs, 'br0', b, { address: '10.77.0.2/24' });
    const [na, nb] = [await ofport(ovs, pa.port), await ofport(ovs, pb.port)];
    // fail_mode=secure and no controller: nothing passes yet.
    await expect(a.exec('ping', '-c', '1', '-W', '1', '10.77.0.2')).rejects.toThrow();
    await ovs.ofctl('add-flow', 'br0', `in_port=${na},actions=output:${nb}`);
    await ovs.ofctl('add-flow', 'br0', `in_port=${nb},actions=output:${na}`);
    const out = await a.exec('ping', '-c', '3', '-i', '0.2', '-W', '2', '10.77.0.2');
    expect(out).toMatch(/3 received/);
    await ovs.stop();
    await a.delete();
    expect(await run('ip', ['netns', 'list'])).not.toContain(a.name);
  });
});

describe('private Redis', () => {
  it('answers PING and keeps appendonly data across restart()', async () => {
    const redis = await startRedis({ appendOnly: true });
    const cli = (...a: string[]) => run('redis-cli', ['-h', redis.host, '-p', String(redis.port), ...a]);
    expect((await cli('PING')).trim()).toBe('PONG');
    await cli('SET', 'k', 'v1');
    await redis.restart();
    expect((await cli('GET', 'k')).trim()).toBe('v1');
    const pid = await pidOf(join(redis.dir, 'redis.pid'));
    await redis.stop();
    expect(alive(pid)).toBe(false);
  });
});

describe('private ZooKeeper', () => {
  it('answers ruok with imok, and again after restart()', async () => {
    const zk = await startZookeeper();
    const ruok = () =>
      new Promise<string>((resolve, reject) => {
        const s = require('node:net').connect(zk.port, zk.host, () => s.write('ruok'));
        let data = '';
        s.on('data', (d: Buffer) => {
          data += d.toString();
        });
        s.on('end', () => resolve(data));
        s.on('error', reject);
      });
    expect(await ruok()).toBe('imok');
    await zk.restart();
    expect(await ruok()).toBe('imok');
    const pid = await pidOf(join(zk.dir, 'zookeeper.pid'));
    await zk.stop();
    expect(alive(pid)).toBe(false);
  });
});
