/**
 * OpenFlow 1.3 codec throughput on one core: decode and encode of a flow-mod (6-field OXM
 * match, 4 actions: set_field, nx_reg_load, nx_resubmit_table, output) and of a 128-byte
 * packet-in, through the whole message union (`ofp13Message`, as a connection uses it).
 * Baseline in the same run: `Buffer.copy` of the same bytes. Rates are given per wall-clock
 * second and per CPU-second (process.cpuUsage): on a shared machine the second is the
 * steadier one. Each figure is the best of several rounds after a warm-up.
 * Run: npm run bench:openflow-codec   (BENCH_OPS per round, default 500,000; BENCH_ROUNDS, default 5)
 */
import {
  decodeAll as decodeAllImport,
  encodeToBuffer as encodeToBufferImport,
  Writer,
} from '../src/openflow/codec';
import type { Ipv4Address, MacAddress } from '../src/openflow/packet';
import { type Ofp13Message, ofp13Message } from '../src/openflow/v13/message';

// Local bindings: the CommonJS transform turns each use of an imported binding into a getter call.
const decodeAll = decodeAllImport;
const encodeToBuffer = encodeToBufferImport;

const OPS = Number(process.env.BENCH_OPS ?? 500_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET = 1_000_000;

const flowMod = {
  type: 'flow_mod',
  xid: 1,
  cookie: 0x564c_0000_0000_0007n,
  cookieMask: 0n,
  tableId: 0,
  command: 0,
  idleTimeout: 0,
  hardTimeout: 0,
  priority: 100,
  bufferId: 0xffffffff,
  outPort: 0xffffffff,
  outGroup: 0xffffffff,
  flags: 0,
  match: {
    fields: [
      { field: 'in_port', value: 3 },
      { field: 'eth_type', value: 0x800 },
      { field: 'ip_proto', value: 6 },
      { field: 'ipv4_src', value: '10.0.0.0' as Ipv4Address, mask: '255.255.255.0' as Ipv4Address },
      { field: 'tcp_dst', value: 80 },
      { field: 'reg0', value: 5 },
    ],
  },
  instructions: [
    {
      type: 'apply_actions',
      actions: [
        { type: 'set_field', field: { field: 'eth_dst', value: '02:00:00:00:00:01' as MacAddress } },
        { type: 'nx_reg_load', dst: { field: 'reg1', ofs: 0, nbits: 16 }, value: 7n },
        { type: 'nx_resubmit_table', inPort: 0xfff8, table: 3 },
        { type: 'output', port: 3, maxLen: 0 },
      ],
    },
  ],
} as Ofp13Message;

/** 24-byte head + 16-byte match (in_port) + 2 pad + 86 bytes of frame = 128 bytes. */
const packetIn = {
  type: 'packet_in',
  xid: 0,
  bufferId: 0xffffffff,
  totalLen: 86,
  reason: 1,
  tableId: 0,
  cookie: 0n,
  match: { fields: [{ field: 'in_port', value: 1 }] },
  data: Buffer.from(Array.from({ length: 86 }, (_, i) => (i * 37) & 0xff)),
} as Ofp13Message;

interface Rate {
  readonly wall: number;
  readonly cpu: number;
}

/** Best wall-clock and best per-CPU-second rate over the rounds (each measured separately). */
function measure(f: () => void): Rate {
  let wall = 0;
  let cpu = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < OPS; i++) f();
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const used = process.cpuUsage(c0);
    wall = Math.max(wall, OPS / secs);
    cpu = Math.max(cpu, OPS / ((used.user + used.system) / 1e6));
  }
  return { wall, cpu };
}

const fmt = (n: number) => `${(n / 1e6).toFixed(2)} M/s`;
const row = (label: string, r: Rate, base?: Rate) =>
  `  ${label.padEnd(34)} ${fmt(r.wall).padStart(11)} ${fmt(r.cpu).padStart(11)}${
    base === undefined ? '' : `   ${(r.cpu / base.cpu).toFixed(3)}x of copy`
  }`;

function benchOne(name: string, value: Ofp13Message, targets: boolean): void {
  const bytes = encodeToBuffer(ofp13Message, value);
  const again = encodeToBuffer(ofp13Message, decodeAll(ofp13Message, bytes));
  if (!again.equals(bytes)) throw new Error(`${name}: decode → encode does not give the bytes back`);
  const w = new Writer(4096);
  const dst = Buffer.allocUnsafe(bytes.length);
  let sink = 0;
  const copy = () => {
    sink += bytes.copy(dst, 0);
  };
  const decode = () => {
    sink += decodeAll(ofp13Message, bytes).xid;
  };
  const encode = () => {
    w.reset();
    ofp13Message.encode(w, value);
    sink += w.pos;
  };
  const encodeFresh = () => {
    sink += encodeToBuffer(ofp13Message, value).length;
  };
  // Warm-up: let the JIT settle on every path before anything is timed.
  for (const f of [copy, decode, encode, encodeFresh]) for (let i = 0; i < 200_000; i++) f();

  const base = measure(copy);
  const dec = measure(decode);
  const enc = measure(encode);
  const encFresh = measure(encodeFresh);
  console.log(`${name}: ${bytes.length} bytes (${OPS} ops per round, best of ${ROUNDS} rounds)`);
  console.log(`  ${''.padEnd(34)} ${'wall'.padStart(11)} ${'per CPU-s'.padStart(11)}`);
  console.log(row('Buffer.copy (baseline)', base));
  console.log(row('decode (decodeAll)', dec, base));
  console.log(row('encode (into a reused Writer)', enc, base));
  console.log(row('encode (encodeToBuffer, fresh copy)', encFresh, base));
  if (targets) {
    const verdict = (r: Rate) => (r.cpu >= TARGET ? 'met' : 'NOT met');
    console.log(`  target >= 1.00 M decodes per CPU-second: ${verdict(dec)}`);
    console.log(`  target >= 1.00 M encodes per CPU-second: ${verdict(enc)}`);
  }
  if (sink === 0) console.log('');
}

benchOne('flow-mod, 6-field match, 4 actions', flowMod, true);
benchOne('packet-in', packetIn, false);
