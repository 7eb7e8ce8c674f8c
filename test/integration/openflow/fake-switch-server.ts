/**
 * What every fake OpenFlow switch that ovs-ofctl talks to (tcp:127.0.0.1:PORT) shares: a TCP
 * listener that cuts the stream into messages on its own (not with the framing under test),
 * records each one, and writes back what the version-specific `answer` makes of it.
 */
import { createServer, type Socket } from 'node:net';
import { MessageCutter } from '../../unit/openflow/protocol/message-cutter';

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
    const cutter = new MessageCutter();
    socket.on('data', (chunk) => {
      try {
        cutter.feed(chunk, (m) => {
          received.push(m);
          const reply = answer(m);
          if (reply) {
            sent.push(reply);
            socket.write(reply);
          }
        });
      } catch {
        // A length under the header's own, or a message the answer cannot read: the test
        // finds it in `received`.
        socket.destroy();
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
