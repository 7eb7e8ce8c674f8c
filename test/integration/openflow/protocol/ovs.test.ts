/**
 * The OpenFlow connection against a real Open vSwitch (private, dummy datapath): OVS
 * connects to our listener, and what we learn over OpenFlow is checked against what
 * ovs-vsctl / ovs-ofctl say.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { Scheduler } from '../../../../src/async';
import {
  OpenflowListener,
  type OpenflowMessage,
  SwitchDownEvent,
  SwitchUpEvent,
  supportedVersions,
  toDatapathId,
} from '../../../../src/openflow/protocol';
import { cleanupAll, type OvsInstance, startOvs } from '../../../harness';

afterAll(cleanupAll);

const WAIT = { timeout: 60_000 };

let ovs: OvsInstance;
let scheduler: Scheduler;
let listener: OpenflowListener;

beforeAll(async () => {
  ovs = await startOvs({ dummy: true });
  scheduler = new Scheduler();
  listener = await OpenflowListener.listen('ptcp:0:127.0.0.1', {
    scheduler,
    echoIntervalMs: 1000,
    deadPeerTimeoutMs: 3000,
  });
  // Ports exist before OVS connects: port_status messages have no 1.3 codec yet.
  await ovs.addBridge('br0', { protocols: 'OpenFlow13' });
  for (const p of ['p1', 'p2', 'p3'])
    await ovs.vsctl('add-port', 'br0', p, '--', 'set', 'interface', p, 'type=dummy');
});

afterAll(async () => {
  await listener?.close();
});

async function connectBridge() {
  const up = scheduler.waitFor(SwitchUpEvent.match(), WAIT);
  await ovs.vsctl('set-controller', 'br0', `tcp:127.0.0.1:${listener.port}`);
  return up;
}

const portsOf = (parts: readonly OpenflowMessage[]) =>
  parts.flatMap((p) => (p.type === 'port_desc_reply' ? p.ports : []));

describe('OpenFlow connection with Open vSwitch', () => {
  it('OVS connects; the up event carries the datapath id ovs-vsctl shows; port-desc, barrier and role work', async () => {
    const up = await connectBridge();
    const dpid = toDatapathId(await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id'));
    expect(up.datapathId).toBe(dpid);
    expect(up.version).toBe(4);
    expect(up.features.nTables).toBe(254);
    expect(listener.switches.get(dpid)).toBe(up.connection);
    const sw = up.connection;

    // Port numbers and names as OVS assigned them.
    const ports = portsOf(await sw.requestMultipart({ type: 'port_desc_request', flags: 0 }));
    const byName = new Map(ports.map((p) => [p.name, p.portNo]));
    for (const p of ['p1', 'p2', 'p3']) {
      expect(byName.get(p)).toBe(Number(await ovs.vsctl('get', 'interface', p, 'ofport')));
    }
    expect(byName.get('br0')).toBe(0xfffffffe); // OFPP_LOCAL
    expect(byName.size).toBe(4);

    await sw.barrier();
    expect(await sw.sendWithBarrier([{ type: 'echo_request', data: Buffer.from('x') }])).toEqual([]);

    expect(await sw.role('master', 1n)).toEqual({ role: 'master', generationId: 1n });
    // A master request with an older generation id is stale: OFPET_ROLE_REQUEST_FAILED / OFPRRFC_STALE.
    await expect(sw.role('master', 0n)).rejects.toMatchObject({ errType: 11, code: 0 });
    expect(await sw.role('slave', 2n)).toEqual({ role: 'slave', generationId: 2n });
    // OVS reports the role in its Controller table.
    let role = '';
    for (let i = 0; i < 100 && role !== 'slave'; i++) {
      role = (await ovs.vsctl('--columns=role', '--bare', 'list', 'controller')).trim();
      if (role !== 'slave') await new Promise((r) => setTimeout(r, 100));
    }
    expect(role).toBe('slave');
    expect(await sw.role('equal')).toMatchObject({ role: 'equal' });
  });

  it('ovs-vswitchd stopped: down event; restarted: up again with the same datapath id', async () => {
    const dpid = toDatapathId(await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id'));
    if (!listener.switches.has(dpid)) await connectBridge();
    const down = scheduler.waitFor(SwitchDownEvent.match({ datapathId: dpid }), WAIT);
    await ovs.stopVswitchd();
    expect((await down).reason).toMatch(/closed by peer|keepalive timeout|socket error/);
    expect(listener.switches.has(dpid)).toBe(false);

    const up = scheduler.waitFor(SwitchUpEvent.match({ datapathId: dpid }), WAIT);
    await ovs.startVswitchd();
    const again = await up;
    expect(again.version).toBe(4);
    await again.connection.barrier();
  });

  it('a frozen ovs-vswitchd misses its echo replies: down by keepalive timeout; thawed, it reconnects', async () => {
    const dpid = toDatapathId(await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id'));
    if (!listener.switches.has(dpid)) await connectBridge();
    const pid = Number(readFileSync(join(ovs.dir, 'ovs-vswitchd.pid'), 'utf8').trim());
    const down = scheduler.waitFor(SwitchDownEvent.match({ datapathId: dpid }), WAIT);
    const up = scheduler.waitFor(SwitchUpEvent.match({ datapathId: dpid }), WAIT);
    process.kill(pid, 'SIGSTOP');
    try {
      expect((await down).reason).toMatch(/^keepalive timeout/);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const again = await up;
    await again.connection.barrier();
  });
});

describe('OpenFlow 1.0 bridge', () => {
  it('negotiates 1.0 with Nicira roles once 1.0 is registered; until then HELLO_FAILED', async () => {
    const ovs10 = await startOvs({ dummy: true });
    const sched = new Scheduler();
    const closeReasons: string[] = [];
    const logger = pino(
      { level: 'info' },
      {
        write(line: string) {
          const entry = JSON.parse(line) as { msg?: string; reason?: string };
          if (entry.msg === 'connection closed' && entry.reason) closeReasons.push(entry.reason);
        },
      },
    );
    const l10 = await OpenflowListener.listen('ptcp:0:127.0.0.1', { scheduler: sched, logger });
    try {
      await ovs10.addBridge('br10', { protocols: 'OpenFlow10' });
      const stopWaiting = new AbortController();
      const up = sched.waitFor(SwitchUpEvent.match(), { ...WAIT, signal: stopWaiting.signal });
      await ovs10.vsctl('set-controller', 'br10', `tcp:127.0.0.1:${l10.port}`);
      if ((supportedVersions as readonly number[]).includes(1)) {
        const ev = await up;
        expect(ev.version).toBe(1);
        expect(ev.datapathId).toBe(toDatapathId(await ovs10.vsctl('get', 'bridge', 'br10', 'datapath_id')));
        const sw = ev.connection;
        await sw.barrier();
        expect(await sw.role('master')).toEqual({ role: 'master', generationId: 0n });
        expect(await sw.role('slave')).toEqual({ role: 'slave', generationId: 0n });
        expect(await sw.role('equal')).toEqual({ role: 'equal', generationId: 0n });
        await expect(sw.role('nochange')).rejects.toThrow(/has no "nochange"/);
      } else {
        up.catch(() => undefined);
        stopWaiting.abort();
        for (let i = 0; i < 600 && closeReasons.length === 0; i++)
          await new Promise((r) => setTimeout(r, 50));
        expect(closeReasons[0]).toMatch(
          /handshake failed: .*no common OpenFlow version: we offer OpenFlow 1\.3; peer hello is OpenFlow 1\.0/,
        );
      }
    } finally {
      await l10.close();
    }
  });
});
