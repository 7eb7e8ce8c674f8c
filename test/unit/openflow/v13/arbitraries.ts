/**
 * fast-check generators of valid OpenFlow 1.3 messages, one per message tag (the record's
 * type makes a missing tag a compile error). Matches, set_field actions and Nicira actions
 * are obtained by decoding bytes (OVS-produced matches, OXM/NX TLVs built from random
 * values), so these generators hold whatever shape the OXM and Nicira codecs give them.
 */
import fc from 'fast-check';
import { type Codec, decodeAll, encodeToBuffer } from '../../../../src/openflow/codec';
import { nxAction } from '../../../../src/openflow/nicira';
import { ofpMatch } from '../../../../src/openflow/oxm';
import type { Action } from '../../../../src/openflow/v13/action';
import { actionSetField } from '../../../../src/openflow/v13/action';
import type { Instruction } from '../../../../src/openflow/v13/instruction';
import { type Ofp13Message, type Ofp13MessageType, ofp13Message } from '../../../../src/openflow/v13/message';
import { mac } from '../packet/arbitraries';
import { portCounterFields, portDescFields } from '../port-arbitraries';
import { bytes, u8, u16, u32, u64 } from '../wire-arbitraries';

/** Variable data: up to 32 bytes unless a field says otherwise. */
const data = () => bytes(32);
/** Bytes whose length is a multiple of 8 (bodies whose length counts alignment padding). */
const bytes8 = fc
  .integer({ min: 0, max: 4 })
  .chain((n) => fc.uint8Array({ minLength: n * 8, maxLength: n * 8 }).map((b) => Buffer.from(b)));
/** A NUL-free ASCII string that fits a fixed-size field of `size` bytes. */
const str = (size: number) =>
  fc.string({
    unit: fc.integer({ min: 1, max: 127 }).map((c) => String.fromCharCode(c)),
    maxLength: size - 1,
  });

const decoded = <T>(codec: Codec<T>, hex: string): T => decodeAll(codec, Buffer.from(hex, 'hex'));

/** Matches ovs-ofctl wrote (empty; in_port=1; ip,nw_src=10.0.0.0/8,tcp,tp_dst=80). */
export const OVS_MATCHES = [
  '0001000400000000',
  '0001000c8000000400000001000000',
  '0001002180000a020800800017080a000000ff000000800014010680001c020050000000000000',
];
export const match = fc
  .constantFrom(...OVS_MATCHES.map((hex) => hex.padEnd(Math.ceil(hex.length / 16) * 16, '0')))
  .map((hex) => decoded(ofpMatch, hex));

const hex = (n: number, size: number) => n.toString(16).padStart(size * 2, '0');

/** set_field of eth_dst, ipv4_src or tcp_dst with a random value, from its wire form. */
const setField = fc
  .oneof(
    fc.uint8Array({ minLength: 6, maxLength: 6 }).map((v) => `80000606${Buffer.from(v).toString('hex')}0000`),
    u32.map((v) => `80001604${hex(v, 4)}00000000`),
    u16.map((v) => `80001c02${hex(v, 2)}000000000000`),
  )
  .map((tlv) => decoded(actionSetField, `00190010${tlv}`) as Action);

/** Nicira resubmit(in_port, table) from its wire form. */
const nicira = fc
  .tuple(u16, u8)
  .map(
    ([port, table]) =>
      decoded(nxAction, `ffff001000002320000e${hex(port, 2)}${hex(table, 1)}000000`) as Action,
  );

const tag = <T extends string>(t: T) => fc.constant(t);

export const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: tag('output'), port: u32, maxLen: u16 }),
  fc.record({
    type: fc.constantFrom('copy_ttl_out', 'copy_ttl_in', 'dec_mpls_ttl', 'pop_vlan', 'dec_nw_ttl', 'pop_pbb'),
  }),
  fc.record({ type: tag('set_mpls_ttl'), mplsTtl: u8 }),
  fc.record({ type: fc.constantFrom('push_vlan', 'push_mpls', 'pop_mpls', 'push_pbb'), ethertype: u16 }),
  fc.record({ type: tag('set_queue'), queueId: u32 }),
  fc.record({ type: tag('group'), groupId: u32 }),
  fc.record({ type: tag('set_nw_ttl'), nwTtl: u8 }),
  setField,
  nicira,
  fc.record({ type: tag('experimenter'), experimenter: u32.filter((e) => e !== 0x2320), data: bytes8 }),
);
const actions = fc.array(action, { maxLength: 5 });

export const instruction: fc.Arbitrary<Instruction> = fc.oneof(
  fc.record({ type: tag('goto_table'), tableId: u8 }),
  fc.record({ type: tag('write_metadata'), metadata: u64, metadataMask: u64 }),
  fc.record({ type: fc.constantFrom('write_actions', 'apply_actions'), actions }),
  fc.record({ type: tag('clear_actions') }),
  fc.record({ type: tag('meter'), meterId: u32 }),
  fc.record({ type: tag('experimenter'), experimenter: u32, data: data() }),
);
const instructions = fc.array(instruction, { maxLength: 4 });

const port = fc.record({ portNo: u32, name: str(16), ...portDescFields, currSpeed: u32, maxSpeed: u32 });

const bucket = fc.record({ weight: u16, watchPort: u32, watchGroup: u32, actions });
const band = fc.oneof(
  fc.record({ type: tag('drop'), rate: u32, burstSize: u32 }),
  fc.record({ type: tag('dscp_remark'), rate: u32, burstSize: u32, precLevel: u8 }),
  fc.record({ type: tag('experimenter'), rate: u32, burstSize: u32, experimenter: u32, data: data() }),
);
const flowSelection = { tableId: u8, outPort: u32, outGroup: u32, cookie: u64, cookieMask: u64, match };
const featureId = fc.record({ idType: u16, data: bytes(8) });
const tableFeatureProp = fc.oneof(
  fc.record({
    type: fc.constantFrom('instructions', 'instructions_miss'),
    instructionIds: fc.array(featureId),
  }),
  fc.record({ type: fc.constantFrom('next_tables', 'next_tables_miss'), nextTableIds: fc.array(u8) }),
  fc.record({
    type: fc.constantFrom('write_actions', 'write_actions_miss', 'apply_actions', 'apply_actions_miss'),
    actionIds: fc.array(featureId),
  }),
  fc.record({
    type: fc.constantFrom(
      'match',
      'wildcards',
      'write_setfield',
      'write_setfield_miss',
      'apply_setfield',
      'apply_setfield_miss',
    ),
    oxmIds: fc.array(u32),
  }),
  fc.record({
    type: fc.constantFrom('experimenter', 'experimenter_miss'),
    experimenter: u32,
    expType: u32,
    data: data(),
  }),
);
const tableFeatures = fc.record({
  tableId: u8,
  name: str(32),
  metadataMatch: u64,
  metadataWrite: u64,
  config: u32,
  maxEntries: u32,
  properties: fc.array(tableFeatureProp, { maxLength: 4 }),
});
const queueProp = fc.oneof(
  fc.record({ type: fc.constantFrom('min_rate', 'max_rate'), rate: u16 }),
  fc.record({ type: tag('experimenter'), experimenter: u32, data: data() }),
);
const asyncMasks = {
  packetInMaskMaster: u32,
  packetInMaskSlave: u32,
  portStatusMaskMaster: u32,
  portStatusMaskSlave: u32,
  flowRemovedMaskMaster: u32,
  flowRemovedMaskSlave: u32,
};
const bundleProps = fc.array(fc.record({ propType: u16, data: data() }), { maxLength: 3 });
const control = { bundleId: u32, flags: u16, properties: bundleProps };
const portStats = fc.record({ portNo: u32, ...portCounterFields, durationSec: u32, durationNsec: u32 });
const perType = fc.record({ all: u32, select: u32, indirect: u32, ff: u32 });

type Values<R> = { [K in keyof R]: R[K] extends fc.Arbitrary<infer V> ? V : never };

/** A message of the given tag with a random xid and the given body fields. */
function msg<const T extends string, const R extends Record<string, fc.Arbitrary<unknown>>>(
  type: T,
  fields: R,
): fc.Arbitrary<{ type: T; xid: number } & Values<R>> {
  return fc.record({ type: fc.constant(type), xid: u32, ...fields }) as fc.Arbitrary<never>;
}
/** A multipart message: xid, flags, body fields. */
function mp<const T extends string, const R extends Record<string, fc.Arbitrary<unknown>>>(
  type: T,
  fields: R,
): fc.Arbitrary<{ type: T; xid: number; flags: number } & Values<R>> {
  return msg(type, { flags: u16, ...fields }) as fc.Arbitrary<never>;
}

const flowMod = msg('flow_mod', {
  cookie: u64,
  cookieMask: u64,
  tableId: u8,
  command: u8,
  idleTimeout: u16,
  hardTimeout: u16,
  priority: u16,
  bufferId: u32,
  outPort: u32,
  outGroup: u32,
  flags: u16,
  match,
  instructions,
});
const groupMod = msg('group_mod', {
  command: u16,
  groupType: u8,
  groupId: u32,
  buckets: fc.array(bucket, { maxLength: 3 }),
});

/** Messages a bundle add may carry, encoded (its xid is the bundle add's). */
const innerMessage = (xid: number) =>
  fc.oneof(flowMod, groupMod).map((m) => encodeToBuffer(ofp13Message, { ...m, xid }));

type ArbitraryOf = { readonly [K in Ofp13MessageType]: fc.Arbitrary<Extract<Ofp13Message, { type: K }>> };

export const messageArbitraries: ArbitraryOf = {
  hello: fc.record({
    type: tag('hello'),
    version: u8,
    xid: u32,
    elements: fc.array(
      fc.oneof(
        fc.record({ type: tag('versionbitmap'), bitmaps: fc.array(u32, { maxLength: 3 }) }),
        fc.record({ type: tag('unknown'), elemType: u16.filter((t) => t !== 1), data: data() }),
      ),
      { maxLength: 3 },
    ),
  }),
  error: msg('error', { errType: u16.filter((t) => t !== 0xffff), code: u16, data: bytes(64) }),
  error_experimenter: msg('error_experimenter', { expCode: u16, experimenter: u32, data: data() }),
  echo_request: msg('echo_request', { data: data() }),
  echo_reply: msg('echo_reply', { data: data() }),
  experimenter: msg('experimenter', {
    experimenter: u32.filter((e) => e !== 0x4f4e4600),
    expType: u32,
    data: data(),
  }),
  onf_experimenter: msg('onf_experimenter', {
    expType: u32.filter((t) => t !== 2300 && t !== 2301),
    data: data(),
  }),
  bundle_open_request: msg('bundle_open_request', control),
  bundle_open_reply: msg('bundle_open_reply', control),
  bundle_close_request: msg('bundle_close_request', control),
  bundle_close_reply: msg('bundle_close_reply', control),
  bundle_commit_request: msg('bundle_commit_request', control),
  bundle_commit_reply: msg('bundle_commit_reply', control),
  bundle_discard_request: msg('bundle_discard_request', control),
  bundle_discard_reply: msg('bundle_discard_reply', control),
  bundle_add: u32.chain((xid) =>
    fc.record({
      type: tag('bundle_add'),
      xid: fc.constant(xid),
      bundleId: u32,
      flags: u16,
      message: innerMessage(xid),
      properties: fc.constant(Buffer.alloc(0)),
    }),
  ),
  features_request: msg('features_request', {}),
  features_reply: msg('features_reply', {
    datapathId: u64,
    nBuffers: u32,
    nTables: u8,
    auxiliaryId: u8,
    capabilities: u32,
    reserved: u32,
  }),
  get_config_request: msg('get_config_request', {}),
  get_config_reply: msg('get_config_reply', { flags: u16, missSendLen: u16 }),
  set_config: msg('set_config', { flags: u16, missSendLen: u16 }),
  packet_in: msg('packet_in', {
    bufferId: u32,
    totalLen: u16,
    reason: u8,
    tableId: u8,
    cookie: u64,
    match,
    data: bytes(64),
  }),
  flow_removed: msg('flow_removed', {
    cookie: u64,
    priority: u16,
    reason: u8,
    tableId: u8,
    durationSec: u32,
    durationNsec: u32,
    idleTimeout: u16,
    hardTimeout: u16,
    packetCount: u64,
    byteCount: u64,
    match,
  }),
  port_status: msg('port_status', { reason: u8, desc: port }),
  packet_out: msg('packet_out', { bufferId: u32, inPort: u32, actions, data: bytes(64) }),
  flow_mod: flowMod,
  group_mod: groupMod,
  port_mod: msg('port_mod', { portNo: u32, hwAddr: mac, config: u32, mask: u32, advertise: u32 }),
  table_mod: msg('table_mod', { tableId: u8, config: u32 }),
  desc_request: mp('desc_request', {}),
  desc_reply: mp('desc_reply', {
    mfrDesc: str(256),
    hwDesc: str(256),
    swDesc: str(256),
    serialNum: str(32),
    dpDesc: str(256),
  }),
  flow_stats_request: mp('flow_stats_request', flowSelection),
  flow_stats_reply: mp('flow_stats_reply', {
    stats: fc.array(
      fc.record({
        tableId: u8,
        durationSec: u32,
        durationNsec: u32,
        priority: u16,
        idleTimeout: u16,
        hardTimeout: u16,
        flags: u16,
        cookie: u64,
        packetCount: u64,
        byteCount: u64,
        match,
        instructions,
      }),
      { maxLength: 3 },
    ),
  }),
  aggregate_stats_request: mp('aggregate_stats_request', flowSelection),
  aggregate_stats_reply: mp('aggregate_stats_reply', { packetCount: u64, byteCount: u64, flowCount: u32 }),
  table_stats_request: mp('table_stats_request', {}),
  table_stats_reply: mp('table_stats_reply', {
    stats: fc.array(fc.record({ tableId: u8, activeCount: u32, lookupCount: u64, matchedCount: u64 }), {
      maxLength: 4,
    }),
  }),
  port_stats_request: mp('port_stats_request', { portNo: u32 }),
  port_stats_reply: mp('port_stats_reply', { stats: fc.array(portStats, { maxLength: 3 }) }),
  queue_stats_request: mp('queue_stats_request', { portNo: u32, queueId: u32 }),
  queue_stats_reply: mp('queue_stats_reply', {
    stats: fc.array(
      fc.record({
        portNo: u32,
        queueId: u32,
        txBytes: u64,
        txPackets: u64,
        txErrors: u64,
        durationSec: u32,
        durationNsec: u32,
      }),
      { maxLength: 3 },
    ),
  }),
  group_stats_request: mp('group_stats_request', { groupId: u32 }),
  group_stats_reply: mp('group_stats_reply', {
    stats: fc.array(
      fc.record({
        groupId: u32,
        refCount: u32,
        packetCount: u64,
        byteCount: u64,
        durationSec: u32,
        durationNsec: u32,
        bucketStats: fc.array(fc.record({ packetCount: u64, byteCount: u64 }), { maxLength: 3 }),
      }),
      { maxLength: 3 },
    ),
  }),
  group_desc_request: mp('group_desc_request', {}),
  group_desc_reply: mp('group_desc_reply', {
    groups: fc.array(
      fc.record({ groupType: u8, groupId: u32, buckets: fc.array(bucket, { maxLength: 3 }) }),
      { maxLength: 3 },
    ),
  }),
  group_features_request: mp('group_features_request', {}),
  group_features_reply: mp('group_features_reply', {
    types: u32,
    capabilities: u32,
    maxGroups: perType,
    actions: perType,
  }),
  meter_stats_request: mp('meter_stats_request', { meterId: u32 }),
  meter_stats_reply: mp('meter_stats_reply', {
    stats: fc.array(
      fc.record({
        meterId: u32,
        flowCount: u32,
        packetInCount: u64,
        byteInCount: u64,
        durationSec: u32,
        durationNsec: u32,
        bandStats: fc.array(fc.record({ packetBandCount: u64, byteBandCount: u64 }), { maxLength: 3 }),
      }),
      { maxLength: 3 },
    ),
  }),
  meter_config_request: mp('meter_config_request', { meterId: u32 }),
  meter_config_reply: mp('meter_config_reply', {
    meters: fc.array(fc.record({ flags: u16, meterId: u32, bands: fc.array(band, { maxLength: 3 }) }), {
      maxLength: 3,
    }),
  }),
  meter_features_request: mp('meter_features_request', {}),
  meter_features_reply: mp('meter_features_reply', {
    maxMeter: u32,
    bandTypes: u32,
    capabilities: u32,
    maxBands: u8,
    maxColor: u8,
  }),
  table_features_request: mp('table_features_request', { tables: fc.array(tableFeatures, { maxLength: 2 }) }),
  table_features_reply: mp('table_features_reply', { tables: fc.array(tableFeatures, { maxLength: 2 }) }),
  port_desc_request: mp('port_desc_request', {}),
  port_desc_reply: mp('port_desc_reply', { ports: fc.array(port, { maxLength: 3 }) }),
  experimenter_multipart_request: mp('experimenter_multipart_request', {
    experimenter: u32,
    expType: u32,
    data: data(),
  }),
  experimenter_multipart_reply: mp('experimenter_multipart_reply', {
    experimenter: u32,
    expType: u32,
    data: data(),
  }),
  barrier_request: msg('barrier_request', {}),
  barrier_reply: msg('barrier_reply', {}),
  queue_get_config_request: msg('queue_get_config_request', { port: u32 }),
  queue_get_config_reply: msg('queue_get_config_reply', {
    port: u32,
    queues: fc.array(
      fc.record({ queueId: u32, port: u32, properties: fc.array(queueProp, { maxLength: 3 }) }),
      { maxLength: 3 },
    ),
  }),
  role_request: msg('role_request', { role: u32, generationId: u64 }),
  role_reply: msg('role_reply', { role: u32, generationId: u64 }),
  get_async_request: msg('get_async_request', {}),
  get_async_reply: msg('get_async_reply', asyncMasks),
  set_async: msg('set_async', asyncMasks),
  meter_mod: msg('meter_mod', {
    command: u16,
    flags: u16,
    meterId: u32,
    bands: fc.array(band, { maxLength: 3 }),
  }),
};

export const anyMessage: fc.Arbitrary<Ofp13Message> = fc.oneof(
  ...Object.values(messageArbitraries as Record<string, fc.Arbitrary<Ofp13Message>>),
);
