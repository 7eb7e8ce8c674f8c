/**
 * A minimal OpenFlow 1.3 "switch" that ovs-ofctl talks to (tcp:127.0.0.1:PORT): it answers
 * hello, echo, features, barrier and multipart requests with empty replies, and records
 * every message. ovs-ofctl thereby becomes an independent encoder for our decoders.
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeSwitch13 {
  readonly port: number;
  readonly received: Buffer[];
  close(): Promise<void>;
}

function message(type: number, xid: number, body: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h[0] = 4;
  h[1] = type;
  h.writeUInt16BE(8 + body.length, 2);
  h.writeUInt32BE(xid, 4);
  return Buffer.concat([h, body]);
}

function answer(m: Buffer): Buffer | undefined {
  const xid = m.readUInt32BE(4);
  switch (m[1]) {
    case 0: // hello: version 1.3 only
      return message(0, xid, Buffer.alloc(0));
    case 2:
      return message(3, xid, m.subarray(8));
    case 5: {
      const b = Buffer.alloc(24);
      b.writeBigUInt64BE(1n, 0);
      b[12] = 254;
      return message(6, xid, b);
    }
    case 18: {
      // An empty reply of the requested multipart type; table features get one table.
      const mpType = m.readUInt16BE(8);
      // ovs-ofctl wants the eight required table-feature properties, which may be empty.
      const b = Buffer.alloc(mpType === 12 ? 8 + 128 : 8);
      b.writeUInt16BE(mpType, 0);
      if (mpType === 12) {
        b.writeUInt16BE(128, 8);
        b.write('classifier', 16);
        b.writeUInt32BE(1000000, 8 + 60);
        for (let i = 0; i < 8; i++) {
          b.writeUInt16BE(2 * i, 8 + 64 + 8 * i);
          b.writeUInt16BE(4, 8 + 64 + 8 * i + 2);
        }
      }
      return message(19, xid, b);
    }
    case 20:
      return message(21, xid, Buffer.alloc(0));
    default:
      return undefined;
  }
}

export async function startFakeSwitch13(): Promise<FakeSwitch13> {
  const received: Buffer[] = [];
  const server: Server = createServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8) {
        const len = pending.readUInt16BE(2);
        if (len < 8) return socket.destroy();
        if (pending.length < len) break;
        const m = Buffer.from(pending.subarray(0, len));
        pending = pending.subarray(len);
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

function run(cmd: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args);
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), 20000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * Has ovs-ofctl send one OpenFlow 1.3 flow-mod per flow line to the fake switch; resolves with
 * those flow-mods in order.
 */
export async function ovsEncodeFlows(sw: FakeSwitch13, flows: readonly string[]): Promise<Buffer[]> {
  const file = join(tmpdir(), `oxm-flows-${process.pid}-${sw.port}.txt`);
  writeFileSync(file, `${flows.join('\n')}\n`);
  const before = sw.received.length;
  const r = await run('ovs-ofctl', ['-O', 'OpenFlow13', 'add-flows', `tcp:127.0.0.1:${sw.port}`, file]);
  rmSync(file, { force: true });
  if (r.code !== 0) throw new Error(`ovs-ofctl add-flows failed: ${r.output}`);
  return sw.received.slice(before).filter((m) => m[1] === 14);
}

/**
 * `ovs-ofctl parse-actions VERSION`: for each line of hex actions OVS prints them, then
 * re-encodes them itself and lists the bytes where its encoding differs from the input.
 * Resolves with one entry per line: the printed actions (or OVS's error) and those diffs.
 */
export async function ovsParseActions(
  version: 'OpenFlow10' | 'OpenFlow13',
  hexLines: readonly string[],
): Promise<{ readonly text: string; readonly diffs: readonly string[] }[]> {
  const out = await new Promise<string>((resolve) => {
    const child = spawn('ovs-ofctl', ['parse-actions', version]);
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.resume();
    child.on('close', () => resolve(stdout));
    child.stdin.end(`${hexLines.join('\n')}\n`);
  });
  return out
    .split('\n\n')
    .map((block) => block.split('\n').filter((l) => l.trim() !== ''))
    .filter((lines) => lines.length > 0)
    .map(([text, ...diffs]) => ({ text: text!, diffs }));
}

/** Has ovs-ofctl print many OpenFlow messages at once (ofp-parse reads a file of them). */
export async function ovsPrint(messages: readonly Buffer[]): Promise<string[]> {
  const file = join(tmpdir(), `oxm-msgs-${process.pid}-${Math.random().toString(36).slice(2)}.bin`);
  writeFileSync(file, Buffer.concat(messages));
  const r = await run('ovs-ofctl', ['ofp-parse', file]);
  rmSync(file, { force: true });
  if (r.code !== 0) throw new Error(`ovs-ofctl ofp-parse failed: ${r.output}`);
  return r.output
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('OFPT_'));
}
