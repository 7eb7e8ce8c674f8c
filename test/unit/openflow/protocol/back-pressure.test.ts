import { startController, type TestController } from './controller';
import { FakeSwitch } from './fake-switch';

let ctl: TestController;
let fake: FakeSwitch;

afterEach(async () => {
  fake.close();
  await ctl.close();
});

async function upWith(options: Parameters<typeof startController>[0]) {
  ctl = await startController({ echoIntervalMs: 0, ...options });
  const up = ctl.nextUp(5n);
  fake = await FakeSwitch.connect(ctl.port, { datapathId: 5n, autoEcho: false });
  return (await up).connection;
}

const big = { type: 'echo_request', data: Buffer.alloc(60_000, 1) } as const;

describe('per-switch back-pressure', () => {
  it('send() waits for a switch that does not read once the write buffer passes the high-water mark', async () => {
    const sw = await upWith({ highWaterMark: 256 * 1024 });
    fake.socket.pause();
    let blocked = false;
    for (let i = 0; i < 2000 && !blocked; i++) {
      const sent = sw.send(big);
      const outcome = await Promise.race([
        sent.then(() => 'written'),
        new Promise<string>((r) => setTimeout(() => r('waiting'), 20)),
      ]);
      if (outcome === 'waiting') blocked = true;
    }
    expect(blocked).toBe(true);
    // What piles up in our memory is bounded by the mark plus one message.
    expect(sw.connection.bufferedBytes).toBeLessThanOrEqual(256 * 1024 + 2 * 60_008);
    fake.socket.resume();
  });

  it('a switch that lets more than maxBufferedBytes pile up is dropped, with a down event', async () => {
    const sw = await upWith({ highWaterMark: 64 * 1024, maxBufferedBytes: 1024 * 1024 });
    fake.socket.pause();
    const down = ctl.nextDown(5n);
    // A careless sender that never waits.
    for (let i = 0; i < 2000 && sw.connection.state !== 'closed'; i++) {
      sw.send(big).catch(() => undefined);
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5));
    }
    expect((await down).reason).toMatch(/peer too slow/);
  });
});
