import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import {
  addInternalPort,
  addVethPort,
  cleanupAll,
  createNetns,
  ofport,
  run,
  startOvs,
  startOvsdbServer,
  startRedis,
  startTcpProxy,
  startZookeeper,
} from '../../harness';
import { HARNESS_ROOT, instanceDir } from '../../harness/cleanup';
import { freePort } from '../../harness/ports';
import { processAlive } from '../../harness/process-alive';
import { CommandError, SCRIPTS, script } from '../../harness/run';

afterAll(cleanupAll);

/** PIDs whose command line mentions `text` (only to assert none are left; never to kill). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
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
    expect(pids.every(processAlive)).toBe(true);
    await ovs.stop();
    expect(pids.some(processAlive)).toBe(false);
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

  it('runs both daemons inside a given namespace, a second "host"', async () => {
    const host = await createNetns('hst');
    const ovs = await startOvs({ netns: host.name, systemId: 'host-b' });
    expect(ovs.netns).toBe(host.name);
    await ovs.addBridge('br-int');
    // ovsdb-server's TCP port is on the namespace's own loopback.
    expect(await host.exec('ovsdb-client', 'list-dbs', `tcp:127.0.0.1:${ovs.dbTcpPort}`)).toContain(
      'Open_vSwitch',
    );
    await expect(
      run('ovsdb-client', ['--timeout=2', 'list-dbs', `tcp:127.0.0.1:${ovs.dbTcpPort}`]),
    ).rejects.toThrow();
    // The bridge's tap device lives there too.
    await host.exec('ip', 'link', 'show', 'br-int');
    await ovs.stop();
  });

  it('restarts ovs-vswitchd alone, keeping the database', async () => {
    const ovs = await startOvs();
    await ovs.addBridge('br1');
    await ovs.stopVswitchd();
    await ovs.startVswitchd();
    expect(await ovs.ofctl('dump-flows', 'br1')).toMatch(/(OFPST|NXST)_FLOW reply/);
    await ovs.stop();
  });

  it.each([
    ['its own namespace (through the unix relay)', {}],
    ['dummy', { dummy: true }],
  ])('reaches a controller on the test process loopback: %s', async (_, options) => {
    const ovs = await startOvs(options);
    const server = net.createServer();
    const hello = new Promise<Buffer>((resolve) => {
      server.on('connection', (sock) => sock.once('data', resolve));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    await ovs.addBridge('br0', {
      controllerPort: (server.address() as net.AddressInfo).port,
      protocols: 'OpenFlow13',
    });
    const first = await hello;
    // The switch opened with OFPT_HELLO (type 0) of OpenFlow 1.3 (wire version 4).
    expect([first[0], first[1]]).toEqual([4, 0]);
    await ovs.stop();
    server.close();
    await ovs.stop();
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

describe('start-up failures', () => {
  it('names the missing program and the package to install', async () => {
    const r = spawnSync('/bin/bash', [join(SCRIPTS, 'ovs-start'), '/tmp/never-used'], {
      env: { PATH: '/nonexistent' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/ovsdb-tool not found: install the Debian package openvswitch-switch/);
    for (const [name, pkg] of [
      ['redis-start', /redis-server not found: install the Debian package redis-server/],
      ['zk-start', /java not found: install a JRE/],
    ] as const) {
      const x = spawnSync('/bin/bash', [join(SCRIPTS, name), '/tmp/never-used', '1'], {
        env: { PATH: '/nonexistent' },
        encoding: 'utf8',
      });
      expect(x.stderr).toMatch(pkg);
    }
  });

  it('reports a taken port with the daemon log lines, for OVSDB, Redis and ZooKeeper, leaving nothing running', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = String((blocker.address() as net.AddressInfo).port);
    const dir = instanceDir('fail');
    try {
      const ovsErr = await script('ovs-start', [join(dir, 'ovs'), '--tcp-port', port, '--dummy']).catch(
        (e: unknown) => e,
      );
      expect(ovsErr).toBeInstanceOf(CommandError);
      expect(String(ovsErr)).toMatch(/ovsdb-server could not listen.*\n.*Address already in use/);
      // The ovsdb-server that could not listen was stopped, not left behind.
      expect(processesMentioning(join(dir, 'ovs'))).toEqual([]);
      const redisErr = await script('redis-start', [join(dir, 'redis'), port]).catch((e: unknown) => e);
      expect(String(redisErr)).toMatch(/did not answer PING[\s\S]*Address already in use/);
      const zkErr = await script('zk-start', [join(dir, 'zk'), port]).catch((e: unknown) => e);
      expect(String(zkErr)).toMatch(/did not answer ruok[\s\S]*Address already in use/);
      expect(processesMentioning(dir)).toEqual([]);
    } finally {
      blocker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ports and leftovers', () => {
  it('hands out distinct ports, each claimed by a marker naming this process', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    for (const p of ports) {
      expect(readFileSync(join(HARNESS_ROOT, 'ports', String(p)), 'utf8')).toBe(String(process.pid));
    }
  });

  it('reclaims the folder of a test process that died: kills its daemons by pid file', async () => {
    const dead = spawnSync('/bin/true');
    expect(dead.pid).toBeGreaterThan(0);
    const sleeper = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    const exited = new Promise((r) => sleeper.once('exit', r));
    mkdirSync(HARNESS_ROOT, { recursive: true });
    const stale = mkdtempSync(join(HARNESS_ROOT, 'stale-'));
    writeFileSync(join(stale, 'owner.pid'), String(dead.pid));
    writeFileSync(join(stale, 'daemon.pid'), String(sleeper.pid));
    rmSync(instanceDir('next'), { recursive: true });
    await exited;
    expect(processAlive(sleeper.pid ?? 0)).toBe(false);
    expect(existsSync(stale)).toBe(false);
  });
});

describe('interrupted test processes', () => {
  it('stops what a process started when it gets SIGTERM', async () => {
    // node itself (with tsx's require hook), not npx: the signal must reach the process
    // that registered the cleanups, not a wrapper that does not forward it.
    const child = spawn(
      process.execPath,
      [
        '--require',
        'tsx/cjs',
        '-e',
        `const h = require(${JSON.stringify(join(__dirname, '..', '..', 'harness'))});
         h.startRedis().then((r) => { console.log(r.dir); setInterval(() => {}, 1000); });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const dir = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
    });
    const pid = Number(readFileSync(join(dir, 'redis.pid'), 'utf8').trim());
    expect(processAlive(pid)).toBe(true);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    for (let i = 0; i < 50 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(processAlive(pid)).toBe(false);
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
    expect(processAlive(pid)).toBe(false);
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
    expect(processAlive(pid)).toBe(false);
  });
});

describe('restart, ovsdb-server alone, and the TCP relay', () => {
  it('restart() brings both OVS daemons back on the same port and database, new PIDs', async () => {
    const ovs = await startOvs({ dummy: true });
    await ovs.addBridge('br0');
    const before = await pidOf(join(ovs.dir, 'ovsdb-server.pid'));
    let sawStopped = false;
    await ovs.restart({
      whileStopped: async () => {
        sawStopped = !processAlive(before);
      },
    });
    expect(sawStopped).toBe(true);
    const after = await pidOf(join(ovs.dir, 'ovsdb-server.pid'));
    expect(after).not.toBe(before);
    expect(await run('ovsdb-client', ['list-tables', `tcp:127.0.0.1:${ovs.dbTcpPort}`])).toContain('Bridge');
    expect((await ovs.vsctl('list-br')).trim()).toBe('br0');
    expect(await ovs.ofctl('dump-flows', 'br0')).toMatch(/(OFPST|NXST)_FLOW reply/);
    await ovs.stop();
    expect(processAlive(after)).toBe(false);
  });

  it('startOvsdbServer: a clustered database with a pssl remote, stopped by PID', async () => {
    const db = await startOvsdbServer({ clustered: true, ssl: true });
    const status = await run('ovs-appctl', [
      '-t',
      join(db.dir, 'ovsdb-server.ctl'),
      'cluster/status',
      'Open_vSwitch',
    ]);
    expect(status).toMatch(/Role: leader/);
    const { keyFile, certFile } = db.certificate!;
    expect(
      await run('ovsdb-client', [
        `--private-key=${keyFile}`,
        `--certificate=${certFile}`,
        `--ca-cert=${certFile}`,
        'list-dbs',
        `ssl:127.0.0.1:${db.sslPort}`,
      ]),
    ).toContain('Open_vSwitch');
    const pid = await pidOf(join(db.dir, 'ovsdb-server.pid'));
    await db.stop();
    expect(processAlive(pid)).toBe(false);
    expect(existsSync(db.dir)).toBe(false);
  });

  it('startTcpProxy relays to a server and dropAll() cuts its connections mid-stream', async () => {
    const redis = await startRedis();
    const relay = await startTcpProxy(redis.port);
    expect((await run('redis-cli', ['-p', String(relay.port), 'PING'])).trim()).toBe('PONG');
    const s = net.connect(relay.port, '127.0.0.1');
    await new Promise<void>((r) => s.once('connect', () => r()));
    for (let i = 0; i < 400 && relay.connections === 0; i++) await new Promise((r) => setTimeout(r, 5));
    const closed = new Promise<string>((resolve) => {
      s.once('error', (e) => resolve(e.message));
      s.once('close', () => resolve('closed'));
    });
    expect(relay.dropAll()).toBe(1);
    expect(await closed).toMatch(/ECONNRESET|closed/);
    expect(relay.connections).toBe(0);
    // The server itself is untouched: new connections through the relay work.
    expect((await run('redis-cli', ['-p', String(relay.port), 'PING'])).trim()).toBe('PONG');
    await relay.close();
    await redis.stop();
  });
});
