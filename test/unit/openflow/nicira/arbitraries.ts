/** fast-check arbitraries for every Nicira action, with values the codecs accept. */
import fc from 'fast-check';
import type { NxAction } from '../../../../src/openflow/nicira';
import { ALL_FIELDS } from '../../../../src/openflow/oxm';
import { anyField } from '../oxm/arbitraries';
import { ipv4, ipv6 } from '../packet/arbitraries';
import { bytes, u64 } from '../wire-arbitraries';

const int = (max: number) => fc.integer({ min: 0, max });

/** A known field (or, sometimes, an unknown header) with a bit range that fits it. */
const fieldWithWidth = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .constantFrom(...ALL_FIELDS.filter((d) => d.experimenter === undefined))
      .map((d) => ({ field: d.name as string | number, width: d.width })),
  },
  { weight: 1, arbitrary: int(0x7f).map((f) => ({ field: (0x00030004 | (f << 9)) >>> 0, width: 32 })) },
);

export const subfield = (maxBits = 64) =>
  fieldWithWidth.chain(({ field, width }) =>
    fc
      .integer({ min: 1, max: Math.min(width, maxBits) })
      .chain((nbits) => int(width - nbits).map((ofs) => ({ field, ofs, nbits }) as never)),
  );

const fieldBits = (nbits: number) =>
  fieldWithWidth
    .filter(({ width }) => width >= nbits)
    .chain(({ field, width }) => int(width - nbits).map((ofs) => ({ field, ofs }) as never));

const learnSpec = fc.integer({ min: 1, max: 64 }).chain((nbits) =>
  fc
    .record({
      kind: fc.constantFrom('match' as const, 'load' as const, 'output' as const),
      nbits: fc.constant(nbits),
      src: fc.oneof(
        fieldBits(nbits),
        fc.bigInt({ min: 0n, max: (1n << BigInt(nbits)) - 1n }).map((value) => ({ value })),
      ),
      dst: fieldBits(nbits),
    })
    .map((s) => (s.kind === 'output' ? { kind: s.kind, nbits: s.nbits, src: s.src } : s)),
);

const nat = fc.record(
  {
    type: fc.constant('nx_nat' as const),
    flags: int(31),
    ipv4Min: ipv4,
    ipv4Max: ipv4,
    ipv6Min: ipv6,
    ipv6Max: ipv6,
    protoMin: int(0xffff),
    protoMax: int(0xffff),
  },
  { requiredKeys: ['type', 'flags'] },
);

const controller2Prop = fc.oneof(
  int(0xffff).map((maxLen) => ({ type: 'max_len' as const, maxLen })),
  int(0xffff).map((controllerId) => ({ type: 'controller_id' as const, controllerId })),
  int(0xff).map((reason) => ({ type: 'reason' as const, reason })),
  bytes(20).map((userdata) => ({ type: 'userdata' as const, userdata })),
  fc.constant({ type: 'pause' as const }),
  int(0xffffffff).map((meterId) => ({ type: 'meter_id' as const, meterId })),
);

const bundleCommon = {
  algorithm: int(1),
  fields: int(6),
  basis: int(0xffff),
  memberType: fc.constant(2),
  members: fc.array(int(0xffff), { maxLength: 8 }),
};

export const nxActionArb: fc.Arbitrary<NxAction> = fc.oneof(
  fc.record({ type: fc.constant('nx_resubmit' as const), inPort: int(0xffff) }),
  fc.record({ type: fc.constant('nx_resubmit_table' as const), inPort: int(0xffff), table: int(255) }),
  fc.record({ type: fc.constant('nx_resubmit_table_ct' as const), inPort: int(0xffff), table: int(255) }),
  fc.constant({ type: 'nx_ct_clear' as const }),
  fc.record({ type: fc.constant('nx_set_tunnel' as const), tunId: int(0xffffffff) }),
  fc.record({ type: fc.constant('nx_set_tunnel64' as const), tunId: u64 }),
  fc.record({ type: fc.constant('nx_set_queue' as const), queueId: int(0xffffffff) }),
  fc.constant({ type: 'nx_pop_queue' as const }),
  subfield(0xffff).chain((src) =>
    fieldBits((src as { nbits: number }).nbits).map((d) => ({
      type: 'nx_reg_move' as const,
      src,
      dst: { ...(d as object), nbits: (src as { nbits: number }).nbits } as never,
    })),
  ),
  subfield().chain((dst) =>
    fc
      .bigInt({ min: 0n, max: (1n << BigInt((dst as { nbits: number }).nbits)) - 1n })
      .map((value) => ({ type: 'nx_reg_load' as const, dst, value })),
  ),
  anyField.map((field) => ({ type: 'nx_reg_load2' as const, field })),
  fc.uint8Array({ minLength: 6, maxLength: 30 }).map((b) => {
    const note = Buffer.alloc(b.length + ((8 - ((10 + b.length) % 8)) % 8));
    note.set(b);
    return { type: 'nx_note' as const, note };
  }),
  fc.record({ type: fc.constant('nx_output_reg' as const), src: subfield(), maxLen: int(0xffff) }),
  fc.record({ type: fc.constant('nx_output_reg2' as const), src: subfield(), maxLen: int(0xffff) }),
  fc.record({
    type: fc.constant('nx_learn' as const),
    idleTimeout: int(0xffff),
    hardTimeout: int(0xffff),
    priority: int(0xffff),
    cookie: u64,
    flags: int(7),
    tableId: int(254),
    finIdleTimeout: int(0xffff),
    finHardTimeout: int(0xffff),
    specs: fc.array(learnSpec, { maxLength: 5 }),
  }),
  fc.record({
    type: fc.constant('nx_conjunction' as const),
    clause: int(255),
    nClauses: int(255),
    id: int(0xffffffff),
  }),
  fc.record({
    type: fc.constant('nx_ct' as const),
    flags: int(3),
    zone: fc.oneof(int(0xffff), subfield()),
    recircTable: int(255),
    alg: int(0xffff),
    actions: fc.array(
      fc.oneof(
        nat,
        anyField.map((field) => ({ type: 'set_field' as const, field })),
      ),
      { maxLength: 3 },
    ),
  }),
  nat,
  fc.record({
    type: fc.constant('nx_controller' as const),
    maxLen: int(0xffff),
    controllerId: int(0xffff),
    reason: int(255),
  }),
  fc.record({
    type: fc.constant('nx_controller2' as const),
    properties: fc.array(controller2Prop, { maxLength: 6 }),
  }),
  fc.constant({ type: 'nx_dec_ttl' as const }),
  fc.record({
    type: fc.constant('nx_dec_ttl_cnt_ids' as const),
    ids: fc.array(int(0xffff), { maxLength: 9 }),
  }),
  fc.record({
    type: fc.constant('nx_multipath' as const),
    fields: int(6),
    basis: int(0xffff),
    algorithm: int(3),
    maxLink: int(0xffff),
    arg: int(0xffffffff),
    dst: subfield(),
  }),
  fc.record({ type: fc.constant('nx_bundle' as const), ...bundleCommon }),
  fc.record({ type: fc.constant('nx_bundle_load' as const), ...bundleCommon, dst: subfield() }),
  fc.constant({ type: 'nx_exit' as const }),
  fc.record({
    type: fc.constant('nx_fin_timeout' as const),
    finIdleTimeout: int(0xffff),
    finHardTimeout: int(0xffff),
  }),
  fc.record({ type: fc.constant('nx_write_metadata' as const), metadata: u64, mask: u64 }),
  fc.record({ subtype: fc.integer({ min: 60, max: 0xffff }), data: bytes(30) }).map(({ subtype, data }) => {
    const padded = Buffer.alloc(data.length + ((8 - ((10 + data.length) % 8)) % 8));
    padded.set(data);
    return { type: 'nx_unknown' as const, subtype, data: padded };
  }),
) as fc.Arbitrary<NxAction>;
