/**
 * fast-check generators of valid OpenFlow 1.0 values: every message type, keyed by its tag,
 * so tests can walk all of them. Values are canonical (decoding their encoding gives them
 * back): strings are NUL-free and fit their field, vendor action data fills whole 8-byte units.
 */
import fc from 'fast-check';
import { decodeAll, list } from '../../../../src/openflow/codec';
import type { Hello } from '../../../../src/openflow/hello';
import { type Ofp10Action, ofp10Action } from '../../../../src/openflow/v10/action';
import { NX_VENDOR_ID, NxMessageType, Port } from '../../../../src/openflow/v10/constants';
import { type Ofp10Match, ofp10Match } from '../../../../src/openflow/v10/match-spec';
import type { Ofp10Message } from '../../../../src/openflow/v10/message';
import { ipv4, mac } from '../packet/arbitraries';
import { portCounterFields, portDescFields } from '../port-arbitraries';
import { bytes, u8, u16, u32, u64 } from '../wire-arbitraries';

const xid = u32;
const str = (n: number) => fc.string({ unit: 'grapheme-ascii', maxLength: n - 1 });
const aligned = (units: number) =>
  fc
    .integer({ min: 0, max: units })
    .chain((n) => fc.uint8Array({ minLength: 8 * n, maxLength: 8 * n }).map(Buffer.from));

/**
 * Nicira actions as OVS writes them (resubmit:3, resubmit(,2), note, set_queue:5,
 * load:0x5->NXM_NX_REG0[], pop_queue), decoded by whatever `nxAction` is: tests use them only
 * through decode/encode, never by their shape.
 */
export const NX_ACTION_HEX = [
  'ffff0010000023200001000300000000',
  'ffff001000002320000efff802000000',
  'ffff0010000023200008010203040000',
  'ffff0010000023200004000000000005',
  'ffff0018000023200007001f000100040000000000000005',
  'ffff0010000023200005000000000000',
] as const;
const nxActions: readonly Ofp10Action[] = NX_ACTION_HEX.map(
  (h) => decodeAll(list(ofp10Action), Buffer.from(h, 'hex'))[0]!,
);

export const match: fc.Arbitrary<Ofp10Match> = fc.oneof(
  fc.record({
    wildcards: u32,
    inPort: u16,
    dlSrc: mac,
    dlDst: mac,
    dlVlan: u16,
    dlVlanPcp: u8,
    dlType: u16,
    nwTos: u8,
    nwProto: u8,
    nwSrc: ipv4,
    nwDst: ipv4,
    tpSrc: u16,
    tpDst: u16,
  }),
  fc
    .record(
      {
        inPort: u16,
        dlSrc: mac,
        dlType: u16,
        nwProto: u8,
        nwDst: fc.record({ address: ipv4, prefixLength: fc.integer({ min: 0, max: 32 }) }),
        tpDst: u16,
      },
      { requiredKeys: [] },
    )
    .map(ofp10Match),
);

export const action: fc.Arbitrary<Ofp10Action> = fc.oneof(
  fc.record({ type: fc.constant('output' as const), port: u16, maxLen: u16 }),
  fc.record({ type: fc.constant('set_vlan_vid' as const), vlanVid: u16 }),
  fc.record({ type: fc.constant('set_vlan_pcp' as const), vlanPcp: u8 }),
  fc.record({ type: fc.constant('strip_vlan' as const) }),
  fc.record({ type: fc.constantFrom('set_dl_src' as const, 'set_dl_dst' as const), dlAddr: mac }),
  fc.record({ type: fc.constantFrom('set_nw_src' as const, 'set_nw_dst' as const), nwAddr: ipv4 }),
  fc.record({ type: fc.constant('set_nw_tos' as const), nwTos: u8 }),
  fc.record({ type: fc.constantFrom('set_tp_src' as const, 'set_tp_dst' as const), tpPort: u16 }),
  fc.record({ type: fc.constant('enqueue' as const), port: u16, queueId: u32 }),
  fc.record({
    type: fc.constant('vendor' as const),
    vendor: u32.filter((v) => v !== NX_VENDOR_ID),
    data: aligned(3),
  }),
  fc.constantFrom(...nxActions),
);
const actions = fc.array(action, { maxLength: 5 });

const phyPort = fc.record({ portNo: u16, name: str(16), ...portDescFields });

const hello: fc.Arbitrary<Hello> = fc.record({
  type: fc.constant('hello' as const),
  version: fc.constant(1),
  xid,
  elements: fc.array(
    fc.oneof(
      fc.record({ type: fc.constant('versionbitmap' as const), bitmaps: fc.array(u32, { maxLength: 3 }) }),
      fc.record({
        type: fc.constant('unknown' as const),
        elemType: u16.filter((t) => t !== 1),
        data: bytes(12),
      }),
    ),
    { maxLength: 3 },
  ),
});

const flowStatsRequestBody = { match, tableId: u8, outPort: u16 };
const NX_DECLARED: readonly number[] = [
  NxMessageType.SET_FLOW_FORMAT,
  NxMessageType.SET_PACKET_IN_FORMAT,
  NxMessageType.FLOW_MOD_TABLE_ID,
  NxMessageType.ROLE_REQUEST,
  NxMessageType.ROLE_REPLY,
];

const queueProperty = fc.oneof(
  fc.record({ type: fc.constant('none' as const) }),
  fc.record({ type: fc.constant('min_rate' as const), rate: u16 }),
  fc.record({ type: fc.constant('unknown' as const), property: u16.filter((p) => p > 1), data: bytes(12) }),
);

const m = <const T extends string, R extends Record<string, fc.Arbitrary<unknown>>>(type: T, rest: R) =>
  fc.record({ type: fc.constant(type), xid, ...rest }) as unknown as fc.Arbitrary<Ofp10Message>;

/** One generator per message tag. */
export const messages: Readonly<Record<string, fc.Arbitrary<Ofp10Message>>> = {
  hello,
  error: m('error', { errType: u16.filter((t) => t !== 0xb0c2), code: u16, data: bytes() }),
  error_vendor: m('error_vendor', { vendor: u32, vendorType: u16, vendorCode: u16, data: bytes() }),
  echo_request: m('echo_request', { data: bytes() }),
  echo_reply: m('echo_reply', { data: bytes() }),
  vendor: m('vendor', { vendor: u32.filter((v) => v !== NX_VENDOR_ID), data: bytes() }),
  nx_vendor: m('nx_vendor', { subtype: u32.filter((s) => !NX_DECLARED.includes(s)), data: bytes() }),
  nx_set_flow_format: m('nx_set_flow_format', { format: u32 }),
  nx_set_packet_in_format: m('nx_set_packet_in_format', { format: u32 }),
  nx_flow_mod_table_id: m('nx_flow_mod_table_id', { set: u8 }),
  nx_role_request: m('nx_role_request', { role: u32 }),
  nx_role_reply: m('nx_role_reply', { role: u32 }),
  features_request: m('features_request', {}),
  features_reply: m('features_reply', {
    datapathId: u64,
    nBuffers: u32,
    nTables: u8,
    capabilities: u32,
    actions: u32,
    ports: fc.array(phyPort, { maxLength: 4 }),
  }),
  get_config_request: m('get_config_request', {}),
  get_config_reply: m('get_config_reply', { flags: u16, missSendLen: u16 }),
  set_config: m('set_config', { flags: u16, missSendLen: u16 }),
  packet_in: m('packet_in', { bufferId: u32, totalLen: u16, inPort: u16, reason: u8, data: bytes() }),
  flow_removed: m('flow_removed', {
    match,
    cookie: u64,
    priority: u16,
    reason: u8,
    durationSec: u32,
    durationNsec: u32,
    idleTimeout: u16,
    packetCount: u64,
    byteCount: u64,
  }),
  port_status: m('port_status', { reason: u8, desc: phyPort }),
  packet_out: m('packet_out', { bufferId: u32, inPort: u16, actions, data: bytes() }),
  flow_mod: m('flow_mod', {
    match,
    cookie: u64,
    command: u16,
    idleTimeout: u16,
    hardTimeout: u16,
    priority: u16,
    bufferId: u32,
    outPort: u16,
    flags: u16,
    actions,
  }),
  port_mod: m('port_mod', { portNo: u16, hwAddr: mac, config: u32, mask: u32, advertise: u32 }),
  desc_stats_request: m('desc_stats_request', { flags: u16 }),
  desc_stats_reply: m('desc_stats_reply', {
    flags: u16,
    mfrDesc: str(256),
    hwDesc: str(256),
    swDesc: str(256),
    serialNum: str(32),
    dpDesc: str(256),
  }),
  flow_stats_request: m('flow_stats_request', { flags: u16, ...flowStatsRequestBody }),
  flow_stats_reply: m('flow_stats_reply', {
    flags: u16,
    flows: fc.array(
      fc.record({
        tableId: u8,
        match,
        durationSec: u32,
        durationNsec: u32,
        priority: u16,
        idleTimeout: u16,
        hardTimeout: u16,
        cookie: u64,
        packetCount: u64,
        byteCount: u64,
        actions,
      }),
      { maxLength: 3 },
    ),
  }),
  aggregate_stats_request: m('aggregate_stats_request', { flags: u16, ...flowStatsRequestBody }),
  aggregate_stats_reply: m('aggregate_stats_reply', {
    flags: u16,
    packetCount: u64,
    byteCount: u64,
    flowCount: u32,
  }),
  table_stats_request: m('table_stats_request', { flags: u16 }),
  table_stats_reply: m('table_stats_reply', {
    flags: u16,
    tables: fc.array(
      fc.record({
        tableId: u8,
        name: str(32),
        wildcards: u32,
        maxEntries: u32,
        activeCount: u32,
        lookupCount: u64,
        matchedCount: u64,
      }),
      { maxLength: 3 },
    ),
  }),
  port_stats_request: m('port_stats_request', { flags: u16, portNo: u16 }),
  port_stats_reply: m('port_stats_reply', {
    flags: u16,
    ports: fc.array(
      fc.record({
        portNo: u16,
        ...portCounterFields,
      }),
      { maxLength: 3 },
    ),
  }),
  queue_stats_request: m('queue_stats_request', { flags: u16, portNo: u16, queueId: u32 }),
  queue_stats_reply: m('queue_stats_reply', {
    flags: u16,
    queues: fc.array(fc.record({ portNo: u16, queueId: u32, txBytes: u64, txPackets: u64, txErrors: u64 }), {
      maxLength: 3,
    }),
  }),
  port_desc_stats_request: m('port_desc_stats_request', { flags: u16 }),
  port_desc_stats_reply: m('port_desc_stats_reply', {
    flags: u16,
    ports: fc.array(phyPort, { maxLength: 3 }),
  }),
  vendor_stats_request: m('vendor_stats_request', { flags: u16, vendor: u32, data: bytes() }),
  vendor_stats_reply: m('vendor_stats_reply', { flags: u16, vendor: u32, data: bytes() }),
  barrier_request: m('barrier_request', {}),
  barrier_reply: m('barrier_reply', {}),
  queue_get_config_request: m('queue_get_config_request', { port: u16 }),
  queue_get_config_reply: m('queue_get_config_reply', {
    port: u16,
    queues: fc.array(fc.record({ queueId: u32, properties: fc.array(queueProperty, { maxLength: 3 }) }), {
      maxLength: 3,
    }),
  }),
};

export const anyMessage: fc.Arbitrary<Ofp10Message> = fc.oneof(...Object.values(messages));

const specialPorts: Readonly<Record<number, string>> = {
  [Port.IN_PORT]: 'IN_PORT',
  [Port.NORMAL]: 'NORMAL',
  [Port.FLOOD]: 'FLOOD',
  [Port.ALL]: 'ALL',
  [Port.LOCAL]: 'LOCAL',
};
export const physPort = fc.integer({ min: 1, max: Port.MAX - 1 });

/** A standard action in the range OVS accepts, with its ovs-ofctl text (what ofp-print prints, what add-flow parses). */
const pa = (a: Ofp10Action, text: string): [Ofp10Action, string] => [a, text];

export const actionWithText: fc.Arbitrary<[Ofp10Action, string]> = fc.oneof(
  physPort.map((port) => pa({ type: 'output', port, maxLen: 0 }, `output:${port}`)),
  fc
    .constantFrom(...Object.keys(specialPorts).map(Number))
    .map((port) => pa({ type: 'output', port, maxLen: 0 }, specialPorts[port]!)),
  u16.map((maxLen) => pa({ type: 'output', port: Port.CONTROLLER, maxLen }, `CONTROLLER:${maxLen}`)),
  fc
    .integer({ min: 0, max: 4095 })
    .map((vlanVid) => pa({ type: 'set_vlan_vid', vlanVid }, `mod_vlan_vid:${vlanVid}`)),
  fc
    .integer({ min: 0, max: 7 })
    .map((vlanPcp) => pa({ type: 'set_vlan_pcp', vlanPcp }, `mod_vlan_pcp:${vlanPcp}`)),
  fc.constant(pa({ type: 'strip_vlan' }, 'strip_vlan')),
  mac.map((dlAddr) => pa({ type: 'set_dl_src', dlAddr }, `mod_dl_src:${dlAddr}`)),
  mac.map((dlAddr) => pa({ type: 'set_dl_dst', dlAddr }, `mod_dl_dst:${dlAddr}`)),
  ipv4.map((nwAddr) => pa({ type: 'set_nw_src', nwAddr }, `mod_nw_src:${nwAddr}`)),
  ipv4.map((nwAddr) => pa({ type: 'set_nw_dst', nwAddr }, `mod_nw_dst:${nwAddr}`)),
  fc
    .integer({ min: 0, max: 63 })
    .map((d) => pa({ type: 'set_nw_tos', nwTos: d << 2 }, `mod_nw_tos:${d << 2}`)),
  u16.map((tpPort) => pa({ type: 'set_tp_src', tpPort }, `mod_tp_src:${tpPort}`)),
  u16.map((tpPort) => pa({ type: 'set_tp_dst', tpPort }, `mod_tp_dst:${tpPort}`)),
  fc
    .tuple(
      physPort,
      u32.filter((q) => q !== 0xffffffff),
    )
    .map(([port, queueId]) => pa({ type: 'enqueue', port, queueId }, `enqueue:${port}:${queueId}`)),
);
