import { startController, type TestController } from './controller';
import { FakeSwitch } from './fake-switch';

let ctl: TestController;
const switches: FakeSwitch[] = [];

afterEach(async () => {
  for (const s of switches.splice(0)) s.close();
  await ctl.close();
});

describe('echo keepalive', () => {
  it('answers the switch echo requests with the same xid and data', async () => {
    ctl = await startController({ echoIntervalMs: 0 });
    const up = ctl.nextUp(1n);
    const sw = await FakeSwitch.connect(ctl.port, { datapathId: 1n });
    switches.push(sw);
    await up;
    sw.write(Buffer.from('0402000c00abcdef01020304', 'hex'));
    const reply = await sw.nextOfType(3);
    expect(reply.bytes.toString('hex')).toBe('0403000c00abcdef01020304');
    await ctl.scheduler.drained();
    expect(ctl.messages).toEqual([]);
  });

  it('probes an idle switch with echo requests; a switch that answers stays up', async () => {
    ctl = await startController({ echoIntervalMs: 20, deadPeerTimeoutMs: 2000 });
    const up = ctl.nextUp(2n);
    const sw = await FakeSwitch.connect(ctl.port, { datapathId: 2n });
    switches.push(sw);
    const ev = await up;
    for (let i = 0; i < 3; i++) await sw.nextOfType(2);
    expect(ev.connection.isUp).toBe(true);
    expect(ctl.log.filter((l) => l.startsWith('down'))).toEqual([]);
  });

  it('closes a switch that stops answering, with a down event naming the keepalive', async () => {
    ctl = await startController({ echoIntervalMs: 20, deadPeerTimeoutMs: 50 });
    const up = ctl.nextUp(3n);
    const sw = await FakeSwitch.connect(ctl.port, { datapathId: 3n, autoEcho: false });
    switches.push(sw);
    const ev = await up;
    const down = await ctl.nextDown(3n);
    expect(down.connectionId).toBe(ev.connectionId);
    expect(down.reason).toMatch(/^keepalive timeout/);
    expect(sw.received.some((f) => f.type === 2)).toBe(true);
    await sw.closed;
    expect(ctl.listener.switches.size).toBe(0);
  });
});
