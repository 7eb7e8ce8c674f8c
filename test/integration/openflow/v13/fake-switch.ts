/**
 * A minimal OpenFlow 1.3 "switch" that ovs-ofctl can talk to (ovs-ofctl -O OpenFlow13 ...
 * tcp:127.0.0.1:PORT): it answers the handshake, echo, barrier, get-config, every multipart
 * request (with an empty or all-zero body) and bundle control, and records every message
 * ovs-ofctl sends. That makes ovs-ofctl an independent *encoder* for our decoders. Replies
 * are built by hand, not with our codecs, so the codecs are not checked against themselves.
 */
import { rawMessage } from '../../../unit/openflow/protocol/raw-message';
import { type FakeSwitchServer, startFakeSwitchServer } from '../fake-switch-server';
import { ofctlAgainst, type RunResult } from '../ovs-ofctl';

export type FakeSwitch13 = FakeSwitchServer;

const message = (type: number, xid: number, body: Buffer): Buffer => rawMessage(4, type, xid, body);

/** Fixed-size multipart reply bodies; every other multipart type answers with an empty list. */
const multipartBodies: Readonly<Record<number, number>> = {
  0: 1056, // desc
  2: 24, // aggregate
  8: 40, // group features
  11: 16, // meter features
};

/** One table-features property: type, length without padding, 8-byte aligned. */
function prop(type: number, items: readonly number[], itemSize: 1 | 4): Buffer {
  const len = 4 + items.length * itemSize;
  const b = Buffer.alloc(Math.ceil(len / 8) * 8);
  b.writeUInt16BE(type, 0);
  b.writeUInt16BE(len, 2);
  items.forEach((x, i) => {
    if (itemSize === 1) b[4 + i] = x;
    else b.writeUInt32BE(x, 4 + 4 * i); // an instruction/action id: type, len = 4
  });
  return b;
}

const ids = (types: readonly number[]) => types.map((t) => ((t << 16) | 4) >>> 0);
const ACTIONS = ids([0, 11, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]);

/**
 * Table features of tables 0..7 with the properties OVS requires: ovs-ofctl asks for them
 * before sending flow-mods.
 */
function tableFeatures(): Buffer {
  const props = Buffer.concat([
    prop(0, ids([1, 2, 3, 4, 5, 6]), 4),
    prop(2, [1, 2, 3, 4, 5, 6, 7], 1),
    prop(4, ACTIONS, 4),
    prop(6, ACTIONS, 4),
    prop(8, [], 4),
    prop(10, [], 4),
    prop(12, [], 4),
    prop(14, [], 4),
  ]);
  const tables: Buffer[] = [];
  for (let id = 0; id < 8; id++) {
    const t = Buffer.alloc(64);
    t.writeUInt16BE(64 + props.length, 0);
    t[2] = id;
    t.write(`table${id}`, 8);
    t.writeBigUInt64BE(0xffffffffffffffffn, 40);
    t.writeBigUInt64BE(0xffffffffffffffffn, 48);
    t.writeUInt32BE(1000000, 60);
    tables.push(t, props);
  }
  return Buffer.concat(tables);
}

/** Per switch: the config set_config last stored (flags, miss_send_len), for get_config. */
interface SwitchConfig {
  bytes: Buffer;
}

function answer(config: SwitchConfig, m: Buffer): Buffer | undefined {
  const type = m[1]!;
  const xid = m.readUInt32BE(4);
  switch (type) {
    case 0:
      return message(0, xid, Buffer.from('0001000800000010', 'hex'));
    case 2:
      return message(3, xid, m.subarray(8));
    case 4: {
      // ONF bundle control (exp_type 2300): reply with the request's ctrl type + 1.
      if (m.length >= 24 && m.readUInt32BE(8) === 0x4f4e4600 && m.readUInt32BE(12) === 2300) {
        const body = Buffer.from(m.subarray(8, 24));
        body.writeUInt16BE(m.readUInt16BE(20) + 1, 12);
        return message(4, xid, body);
      }
      return undefined;
    }
    case 5: {
      const b = Buffer.alloc(24);
      b.writeBigUInt64BE(1n, 0);
      b.writeUInt32BE(256, 8);
      b[12] = 254;
      return message(6, xid, b);
    }
    case 7:
      return message(8, xid, config.bytes);
    case 9:
      config.bytes = Buffer.from(m.subarray(8, 12));
      return undefined;
    case 18: {
      const mpType = m.readUInt16BE(8);
      const head = Buffer.alloc(8);
      head.writeUInt16BE(mpType, 0);
      if (mpType === 0xffff) return undefined;
      if (mpType === 12) return message(19, xid, Buffer.concat([head, tableFeatures()]));
      return message(19, xid, Buffer.concat([head, Buffer.alloc(multipartBodies[mpType] ?? 0)]));
    }
    case 20:
      return message(21, xid, Buffer.alloc(0));
    case 22: {
      // queue get-config: the port asked about, no queues.
      return message(23, xid, Buffer.concat([m.subarray(8, 12), Buffer.alloc(4)]));
    }
    case 26:
      return message(27, xid, Buffer.alloc(24));
    default:
      return undefined;
  }
}

export function startFakeSwitch13(): Promise<FakeSwitch13> {
  const config: SwitchConfig = { bytes: Buffer.from('00000080', 'hex') };
  return startFakeSwitchServer((m) => answer(config, m));
}

/** Runs `ovs-ofctl -O OpenFlow13` against the fake switch (SWITCH in args is its target). */
export function ofctl13(sw: FakeSwitch13, ...args: string[]): Promise<RunResult> {
  return ofctlAgainst('OpenFlow13', sw.port, args);
}
