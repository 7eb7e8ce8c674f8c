/**
 * An in-process fake OpenFlow switch over a real TCP socket, for the connection tests. It
 * frames what the controller sends on its own (not with the parser under test), answers
 * hello, features, echo and barrier unless told not to, and keeps every frame it received.
 */
import { connect, type Socket } from 'node:net';
import { decodeAll, encodeToBuffer } from '../../../../src/openflow/codec';
import { type Hello, hello, helloVersions, makeHello } from '../../../../src/openflow/hello';
import { type Ofp13Message, ofp13Message } from '../../../../src/openflow/v13/message';
import { MessageCutter } from './message-cutter';
import { rawMessage } from './raw-message';

export { rawMessage };

export interface FakeSwitchOptions {
  /** Versions our hello offers (bitmap). Default [4]. */
  readonly versions?: readonly number[];
  /** Send a hello without elements, with this header version, instead of a bitmap. */
  readonly plainHelloVersion?: number;
  readonly datapathId?: bigint;
  readonly nTables?: number;
  /** Answer echo requests. Default true. */
  readonly autoEcho?: boolean;
  /** Answer barrier requests. Default true. */
  readonly autoBarrier?: boolean;
  /** Answer features requests. Default true. */
  readonly autoFeatures?: boolean;
  /** Do not send our hello on connect (the test writes its own bytes). */
  readonly silent?: boolean;
}

export interface Frame {
  readonly version: number;
  readonly type: number;
  readonly xid: number;
  readonly bytes: Buffer;
}

export function encode13(message: Ofp13Message): Buffer {
  return encodeToBuffer(ofp13Message, message);
}

/** A 1.0 features reply (no ports): datapath id, buffers, tables, capabilities, actions. */
function features10(xid: number, dpid: bigint, nTables: number): Buffer {
  const body = Buffer.alloc(24);
  body.writeBigUInt64BE(dpid, 0);
  body.writeUInt32BE(256, 8);
  body[12] = nTables;
  body.writeUInt32BE(0xc7, 16);
  body.writeUInt32BE(0xfff, 20);
  return rawMessage(1, 6, xid, body);
}

export class FakeSwitch {
  readonly received: Frame[] = [];
  /** The controller's hello, once received. */
  controllerHello: Hello | undefined;
  private readonly cutter = new MessageCutter();
  private waiters: { test: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  private consumed = new Set<Frame>();
  readonly closed: Promise<void>;

  private constructor(
    readonly socket: Socket,
    private readonly options: FakeSwitchOptions,
  ) {
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  static connect(port: number, options: FakeSwitchOptions = {}): Promise<FakeSwitch> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.setNoDelay(true);
        const sw = new FakeSwitch(socket, options);
        if (!options.silent) sw.write(sw.ourHello());
        resolve(sw);
      });
    });
  }

  get datapathId(): bigint {
    return this.options.datapathId ?? 0x42n;
  }

  /** The version this switch settled on with the controller (the highest common one). */
  get version(): number | undefined {
    if (this.controllerHello === undefined) return undefined;
    const ours = this.options.plainHelloVersion
      ? Array.from({ length: this.options.plainHelloVersion }, (_, i) => i + 1)
      : (this.options.versions ?? [4]);
    const theirs = helloVersions(this.controllerHello);
    const common = ours.filter((v) => theirs.includes(v));
    return common.length ? Math.max(...common) : undefined;
  }

  ourHello(): Buffer {
    const o = this.options;
    if (o.plainHelloVersion !== undefined) {
      return encodeToBuffer(hello, { type: 'hello', version: o.plainHelloVersion, xid: 1, elements: [] });
    }
    return encodeToBuffer(hello, makeHello(o.versions ?? [4], 1));
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  send(message: Ofp13Message): void {
    this.write(encode13(message));
  }

  /** The first frame (received already or later) matching `test` not taken by an earlier call. */
  next(test: (f: Frame) => boolean = () => true, timeoutMs = 10_000): Promise<Frame> {
    const have = this.received.find((f) => !this.consumed.has(f) && test(f));
    if (have !== undefined) {
      this.consumed.add(have);
      return Promise.resolve(have);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('fake switch: no matching frame')), timeoutMs);
      this.waiters.push({
        test,
        resolve: (f) => {
          clearTimeout(timer);
          this.consumed.add(f);
          resolve(f);
        },
      });
    });
  }

  nextOfType(type: number, timeoutMs?: number): Promise<Frame> {
    return this.next((f) => f.type === type, timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    try {
      this.cutter.feed(chunk, (bytes) => this.onFrame(bytes));
    } catch {
      // The controller under test sent a length it cannot have meant: nothing more is readable.
      this.socket.destroy();
    }
  }

  private onFrame(bytes: Buffer): void {
    const frame: Frame = { version: bytes[0]!, type: bytes[1]!, xid: bytes.readUInt32BE(4), bytes };
    this.received.push(frame);
    this.autoAnswer(frame);
    const i = this.waiters.findIndex((w) => w.test(frame));
    if (i >= 0) {
      const [w] = this.waiters.splice(i, 1);
      w!.resolve(frame);
    }
  }

  private autoAnswer(f: Frame): void {
    const o = this.options;
    if (f.type === 0 && this.controllerHello === undefined) {
      this.controllerHello = decodeAll(hello, f.bytes);
      return;
    }
    if (f.type === 2 && o.autoEcho !== false) {
      this.write(rawMessage(f.version, 3, f.xid, f.bytes.subarray(8)));
      return;
    }
    if (f.type === 5 && o.autoFeatures !== false) {
      if (f.version === 1) this.write(features10(f.xid, this.datapathId, o.nTables ?? 1));
      else
        this.send({
          type: 'features_reply',
          xid: f.xid,
          datapathId: this.datapathId,
          nBuffers: 256,
          nTables: o.nTables ?? 254,
          auxiliaryId: 0,
          capabilities: 0x4f,
          reserved: 0,
        });
      return;
    }
    const barrier = f.version === 1 ? 18 : 20;
    if (f.type === barrier && o.autoBarrier !== false) this.write(rawMessage(f.version, barrier + 1, f.xid));
  }
}
