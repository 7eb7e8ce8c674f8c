/**
 * The controller side of one OpenFlow 1.0 connection, for live tests against OVS: frames and
 * decodes with our codec (every message OVS sends must also re-encode to its exact bytes),
 * answers echo requests, matches replies to requests by xid and keeps the rest.
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { decodeAll, encodeToBuffer } from '../../../../src/openflow/codec';
import { type Ofp10Message, ofp10Message } from '../../../../src/openflow/v10/message';
import { MessageCutter } from '../../../unit/openflow/protocol/message-cutter';

export interface TestController {
  readonly port: number;
  /** Resolves once a switch has connected. */
  accepted(): Promise<void>;
  send(m: Ofp10Message): void;
  /** Sends `m` and resolves with the first message carrying its xid (a reply or an error). */
  request(m: Ofp10Message): Promise<Ofp10Message>;
  /** The next message of this type OVS sends without being asked (or already sent). */
  next<T extends Ofp10Message['type']>(type: T): Promise<Extract<Ofp10Message, { type: T }>>;
  /** Every message received, as bytes, for the round-trip check. */
  readonly received: Buffer[];
  close(): Promise<void>;
}

export async function startTestController(): Promise<TestController> {
  const received: Buffer[] = [];
  const unsolicited: Ofp10Message[] = [];
  interface Waiter {
    readonly resolve: (m: Ofp10Message) => void;
    readonly reject: (e: Error) => void;
  }
  const waiting = new Map<number, Waiter>();
  const watchers: (Waiter & { readonly type: string })[] = [];
  let socket: Socket | undefined;
  let connected: () => void = () => {};
  const accepted = new Promise<void>((resolve) => {
    connected = resolve;
  });
  let failure: Error | undefined;

  const deliver = (m: Ofp10Message) => {
    const byXid = waiting.get(m.xid);
    if (byXid && m.type !== 'echo_request') {
      waiting.delete(m.xid);
      byXid.resolve(m);
      return;
    }
    if (m.type === 'echo_request') {
      send({ type: 'echo_reply', xid: m.xid, data: m.data });
      return;
    }
    const w = watchers.findIndex((x) => x.type === m.type);
    if (w >= 0) watchers.splice(w, 1)[0]!.resolve(m);
    else unsolicited.push(m);
  };

  const send = (m: Ofp10Message) => {
    if (!socket) throw new Error('no switch connected');
    socket.write(encodeToBuffer(ofp10Message, m));
  };

  const server: Server = createServer((s) => {
    if (socket) {
      s.destroy();
      return;
    }
    socket = s;
    const cutter = new MessageCutter();
    s.on('error', () => s.destroy());
    s.on('data', (chunk) => {
      try {
        cutter.feed(chunk, (bytes) => {
          received.push(bytes);
          const m = decodeAll(ofp10Message, bytes);
          const again = encodeToBuffer(ofp10Message, m);
          if (!again.equals(bytes))
            throw new Error(
              `re-encoding ${m.type} differs: ${bytes.toString('hex')} vs ${again.toString('hex')}`,
            );
          deliver(m);
        });
      } catch (e) {
        // A message we cannot read (or cut) fails every pending wait at once, not by a timeout.
        failure = e as Error;
        for (const w of [...waiting.values(), ...watchers.splice(0)]) w.reject(failure);
        waiting.clear();
        s.destroy();
      }
    });
    connected();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');

  const check = () => {
    if (failure) throw failure;
  };
  return {
    port: address.port,
    received,
    accepted: () => accepted,
    send: (m) => {
      check();
      send(m);
    },
    request(m) {
      check();
      const reply = new Promise<Ofp10Message>((resolve, reject) => waiting.set(m.xid, { resolve, reject }));
      send(m);
      return reply;
    },
    next<T extends Ofp10Message['type']>(type: T) {
      check();
      const i = unsolicited.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(unsolicited.splice(i, 1)[0] as Extract<Ofp10Message, { type: T }>);
      return new Promise<Extract<Ofp10Message, { type: T }>>((resolve, reject) =>
        watchers.push({ type, resolve: resolve as (m: Ofp10Message) => void, reject }),
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        socket?.destroy();
        server.close(() => resolve());
      }),
  };
}
