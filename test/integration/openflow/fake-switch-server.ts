/**
 * What every fake OpenFlow switch that ovs-ofctl talks to (tcp:127.0.0.1:PORT) shares: a TCP
 * listener that cuts the stream into messages on its own (not with the framing under test),
 * records each one, and writes back what the version-specific `answer` makes of it.
 */
import { createServer, type Socket } from 'node:net';

/** The reply to one received message (whole, header included), or none. */
export type Answer = (message: Buffer) => Buffer | undefined;

export interface FakeSwitchServer {
  readonly port: number;
  /** Every message received so far, in order, across connections. */
  readonly received: Buffer[];
  /** Every reply sent, in order. */
  readonly sent: Buffer[];
  close(): Promise<void>;
}

export async function startFakeSwitchServer(answer: Answer): Promise<FakeSwitchServer> {
  const received: Buffer[] = [];
  const sent: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8) {
        const length = pending.readUInt16BE(2);
        if (length < 8) return socket.destroy();
        if (pending.length < length) break;
        const m = Buffer.from(pending.subarray(0, length));
        pending = pending.subarray(length);
        received.push(m);
        const reply = answer(m);
        if (reply) {
          sent.push(reply);
          socket.write(reply);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake switch: no TCP address');
  return {
    port: address.port,
    received,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
