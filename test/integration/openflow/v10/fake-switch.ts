/**
 * A minimal OpenFlow 1.0 "switch" that ovs-ofctl can talk to (ovs-ofctl ... tcp:127.0.0.1:PORT):
 * it answers the handshake, echo, barrier, features and table stats, and records every
 * message ovs-ofctl sends. That makes ovs-ofctl an independent *encoder* for our decoder.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';

export interface FakeSwitch {
  readonly port: number;
  /** Every message received so far, in order, across connections. */
  readonly received: Buffer[];
  close(): Promise<void>;
}

function header(type: number, xid: number, body: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h[0] = 1;
  h[1] = type;
  h.writeUInt16BE(8 + body.length, 2);
  h.writeUInt32BE(xid, 4);
  return Buffer.concat([h, body]);
}

function answer(m: Buffer): Buffer | undefined {
  const type = m[1]!;
  const xid = m.readUInt32BE(4);
  switch (type) {
    case 0:
      return header(0, xid, Buffer.alloc(0));
    case 2:
      return header(3, xid, m.subarray(8));
    case 5: {
      const b = Buffer.alloc(24);
      b.writeBigUInt64BE(1n, 0);
      b[12] = 1;
      return header(6, xid, b);
    }
    case 16: {
      // Table stats with one table: ovs-ofctl asks before sending flow-mods.
      const t = Buffer.alloc(4 + 64);
      t.writeUInt16BE(3, 0);
      t.write('classifier', 8);
      t.writeUInt32BE(0x3fffff, 40);
      t.writeUInt32BE(1000000, 44);
      return header(17, xid, t);
    }
    case 18:
      return header(19, xid, Buffer.alloc(0));
    default:
      return undefined;
  }
}

export async function startFakeSwitch(): Promise<FakeSwitch> {
  const received: Buffer[] = [];
  const server: Server = createServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on('error', () => socket.destroy());
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
        if (reply) socket.write(reply);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    port: address.port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs ovs-ofctl against the fake switch; resolves with its exit code and output. */
export function ofctl(sw: FakeSwitch, ...args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('ovs-ofctl', [
      '-O',
      'OpenFlow10',
      ...args.map((a) => (a === 'SWITCH' ? `tcp:127.0.0.1:${sw.port}` : a)),
    ]);
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), 10000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
