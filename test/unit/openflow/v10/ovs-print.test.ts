/**
 * OVS as the decoder: messages we encode are printed by `ovs-ofctl ofp-print`, an independent
 * OpenFlow 1.0 parser, which must report the fields we put in (and no decode error).
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { decodeAll, encodeToBuffer, list } from '../../../../src/openflow/codec';
import type { Ipv4Address, MacAddress } from '../../../../src/openflow/packet';
import { ofp10Action } from '../../../../src/openflow/v10/action';
import { FlowModCommand, NX_VENDOR_ID, Port } from '../../../../src/openflow/v10/constants';
import { type Ofp10MatchSpec, ofp10Match, parseIpv4Prefix } from '../../../../src/openflow/v10/match-spec';
import { type Ofp10Message, ofp10Message } from '../../../../src/openflow/v10/message';
import { ipv4, mac, u16 } from '../packet/arbitraries';
import { actionWithText, NX_ACTION_HEX, physPort } from './arbitraries';

function ofpPrint(v: Ofp10Message): string {
  const hex = encodeToBuffer(ofp10Message, v).toString('hex');
  const r = spawnSync('ovs-ofctl', ['ofp-print', hex], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ovs-ofctl ofp-print ${hex}: ${r.error ?? ''} ${r.stderr}`);
  expect(r.stdout).not.toMatch(/decode error|only uses/);
  return r.stdout;
}

const M1 = '02:00:00:00:00:01' as MacAddress;
const M2 = '02:00:00:00:00:02' as MacAddress;
const port1 = {
  portNo: 1,
  hwAddr: M1,
  name: 'p1',
  config: 1,
  state: 1,
  curr: 0x2a0,
  advertised: 0,
  supported: 0,
  peer: 0,
};
const flowModBase = {
  type: 'flow_mod',
  xid: 2,
  cookie: 0x1234n,
  command: FlowModCommand.ADD,
  idleTimeout: 0,
  hardTimeout: 0,
  priority: 100,
  bufferId: 0xffffffff,
  outPort: Port.NONE,
  flags: 0,
} as const;

const cases: readonly [string, Ofp10Message, readonly string[]][] = [
  ['hello', { type: 'hello', version: 1, xid: 1, elements: [] }, ['OFPT_HELLO (xid=0x1)']],
  [
    'error',
    { type: 'error', xid: 5, errType: 3, code: 1, data: Buffer.from('0105000800000001', 'hex') },
    ['OFPT_ERROR (xid=0x5): OFPFMFC_OVERLAP', 'OFPT_FEATURES_REQUEST (xid=0x1)'],
  ],
  [
    'error_vendor',
    {
      type: 'error_vendor',
      xid: 5,
      vendor: NX_VENDOR_ID,
      vendorType: 1,
      vendorCode: 256,
      data: Buffer.from('0105000800000001', 'hex'),
    },
    ['OFPT_ERROR (xid=0x5): NXBRC_NXM_INVALID', 'OFPT_FEATURES_REQUEST (xid=0x1)'],
  ],
  [
    'echo_request',
    { type: 'echo_request', xid: 2, data: Buffer.from('abcd', 'hex') },
    ['OFPT_ECHO_REQUEST (xid=0x2): 2 bytes of payload'],
  ],
  [
    'echo_reply',
    { type: 'echo_reply', xid: 2, data: Buffer.alloc(0) },
    ['OFPT_ECHO_REPLY (xid=0x2): 0 bytes of payload'],
  ],
  [
    'nx_set_flow_format',
    { type: 'nx_set_flow_format', xid: 16, format: 2 },
    ['NXT_SET_FLOW_FORMAT (xid=0x10): format=nxm'],
  ],
  [
    'nx_set_packet_in_format',
    { type: 'nx_set_packet_in_format', xid: 16, format: 1 },
    ['NXT_SET_PACKET_IN_FORMAT (xid=0x10): format=nxt_packet_in'],
  ],
  [
    'nx_flow_mod_table_id',
    { type: 'nx_flow_mod_table_id', xid: 16, set: 1 },
    ['NXT_FLOW_MOD_TABLE_ID (xid=0x10): enable'],
  ],
  [
    'nx_role_request',
    { type: 'nx_role_request', xid: 3, role: 1 },
    ['NXT_ROLE_REQUEST (xid=0x3): role=primary'],
  ],
  ['nx_role_reply', { type: 'nx_role_reply', xid: 3, role: 2 }, ['NXT_ROLE_REPLY (xid=0x3): role=secondary']],
  [
    // NXT_SET_CONTROLLER_ID (20): kept raw by us, still understood by OVS.
    'nx_vendor',
    { type: 'nx_vendor', xid: 4, subtype: 20, data: Buffer.from('0000000000000007', 'hex') },
    ['NXT_SET_CONTROLLER_ID (xid=0x4): id=7'],
  ],
  ['features_request', { type: 'features_request', xid: 3 }, ['OFPT_FEATURES_REQUEST (xid=0x3)']],
  [
    'features_reply',
    {
      type: 'features_reply',
      xid: 3,
      datapathId: 0xabcdn,
      nBuffers: 256,
      nTables: 254,
      capabilities: 0xc7,
      actions: 0xfff,
      ports: [port1, { ...port1, portNo: Port.LOCAL, name: 'br0', hwAddr: M2, config: 0, state: 0 }],
    },
    [
      'OFPT_FEATURES_REPLY (xid=0x3): dpid:000000000000abcd',
      'n_tables:254, n_buffers:256',
      'capabilities: FLOW_STATS TABLE_STATS PORT_STATS QUEUE_STATS ARP_MATCH_IP',
      'actions: output enqueue set_vlan_vid set_vlan_pcp strip_vlan mod_dl_src mod_dl_dst mod_nw_src mod_nw_dst mod_nw_tos mod_tp_src mod_tp_dst',
      ' 1(p1): addr:02:00:00:00:00:01',
      'config:     PORT_DOWN',
      'current:    1GB-FD COPPER AUTO_NEG',
      ' LOCAL(br0): addr:02:00:00:00:00:02',
    ],
  ],
  ['get_config_request', { type: 'get_config_request', xid: 6 }, ['OFPT_GET_CONFIG_REQUEST (xid=0x6)']],
  [
    'get_config_reply',
    { type: 'get_config_reply', xid: 6, flags: 2, missSendLen: 0xffff },
    ['OFPT_GET_CONFIG_REPLY (xid=0x6): frags=reassemble miss_send_len=65535'],
  ],
  [
    'set_config',
    { type: 'set_config', xid: 6, flags: 1, missSendLen: 128 },
    ['OFPT_SET_CONFIG (xid=0x6): frags=drop miss_send_len=128'],
  ],
  [
    'packet_in',
    {
      type: 'packet_in',
      xid: 7,
      bufferId: 0x100,
      totalLen: 14,
      inPort: 3,
      reason: 1,
      data: Buffer.from('0200000000020200000000011234', 'hex'),
    },
    [
      'OFPT_PACKET_IN (xid=0x7): total_len=14 in_port=3 (via action) data_len=14 buffer=0x00000100',
      'dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,dl_type=0x1234',
    ],
  ],
  [
    'flow_removed',
    {
      type: 'flow_removed',
      xid: 8,
      match: ofp10Match({ inPort: 1 }),
      cookie: 5n,
      priority: 7,
      reason: 1,
      durationSec: 3,
      durationNsec: 500000000,
      idleTimeout: 9,
      packetCount: 11n,
      byteCount: 1234n,
    },
    [
      'OFPT_FLOW_REMOVED (xid=0x8): priority=7,in_port=1 reason=hard cookie:0x5 duration3.500s idle9 pkts11 bytes1234',
    ],
  ],
  [
    'port_status',
    { type: 'port_status', xid: 4, reason: 2, desc: port1 },
    ['OFPT_PORT_STATUS (xid=0x4): MOD: 1(p1): addr:02:00:00:00:00:01', 'state:      LINK_DOWN'],
  ],
  [
    'packet_out',
    {
      type: 'packet_out',
      xid: 1,
      bufferId: 0xffffffff,
      inPort: Port.CONTROLLER,
      actions: [
        { type: 'output', port: Port.CONTROLLER, maxLen: 128 },
        { type: 'output', port: Port.IN_PORT, maxLen: 0 },
      ],
      data: Buffer.from('0200000000020200000000010806', 'hex'),
    },
    ['OFPT_PACKET_OUT (xid=0x1): in_port=CONTROLLER actions=CONTROLLER:128,IN_PORT data_len=14'],
  ],
  [
    'flow_mod',
    {
      ...flowModBase,
      command: FlowModCommand.MODIFY_STRICT,
      match: ofp10Match({
        inPort: 3,
        dlType: 0x800,
        nwProto: 6,
        nwSrc: parseIpv4Prefix('10.0.1.0/24'),
        tpDst: 80,
        dlVlan: 10,
        dlVlanPcp: 2,
        nwTos: 8,
        dlSrc: M1,
      }),
      idleTimeout: 10,
      hardTimeout: 20,
      flags: 1,
      actions: [{ type: 'output', port: 2, maxLen: 0 }],
    },
    [
      'OFPT_FLOW_MOD (xid=0x2): MOD_STRICT priority=100,tcp,in_port=3,dl_vlan=10,dl_vlan_pcp=2,dl_src=02:00:00:00:00:01,nw_src=10.0.1.0/24,nw_tos=8,tp_dst=80 cookie:0x1234 idle:10 hard:20 send_flow_rem actions=output:2',
    ],
  ],
  [
    'port_mod',
    { type: 'port_mod', xid: 9, portNo: 1, hwAddr: M1, config: 1, mask: 1, advertise: 0 },
    ['OFPT_PORT_MOD (xid=0x9): port: 1: addr:02:00:00:00:00:01', 'config: PORT_DOWN', 'mask:   PORT_DOWN'],
  ],
  ['desc_stats_request', { type: 'desc_stats_request', xid: 10, flags: 0 }, ['OFPST_DESC request (xid=0xa)']],
  [
    'desc_stats_reply',
    {
      type: 'desc_stats_reply',
      xid: 10,
      flags: 0,
      mfrDesc: 'Nicira, Inc.',
      hwDesc: 'Open vSwitch',
      swDesc: '3.1.0',
      serialNum: 'None',
      dpDesc: 'br0',
    },
    [
      'Manufacturer: Nicira, Inc.',
      'Hardware: Open vSwitch',
      'Software: 3.1.0',
      'Serial Num: None',
      'DP Description: br0',
    ],
  ],
  [
    'flow_stats_request',
    {
      type: 'flow_stats_request',
      xid: 11,
      flags: 0,
      match: ofp10Match({ inPort: 2 }),
      tableId: 0xff,
      outPort: 5,
    },
    ['OFPST_FLOW request (xid=0xb): out_port=5 in_port=2'],
  ],
  [
    'flow_stats_reply',
    {
      type: 'flow_stats_reply',
      xid: 11,
      flags: 0,
      flows: [
        {
          tableId: 0,
          match: ofp10Match({ inPort: 1, dlType: 0x806 }),
          durationSec: 1,
          durationNsec: 2,
          priority: 3,
          idleTimeout: 4,
          hardTimeout: 5,
          cookie: 6n,
          packetCount: 7n,
          byteCount: 8n,
          actions: [{ type: 'output', port: 2, maxLen: 0 }],
        },
        {
          tableId: 0,
          match: ofp10Match({}),
          durationSec: 0,
          durationNsec: 0,
          priority: 0,
          idleTimeout: 0,
          hardTimeout: 0,
          cookie: 0n,
          packetCount: 0n,
          byteCount: 0n,
          actions: [],
        },
      ],
    },
    [
      'cookie=0x6, duration=1.000000002s, table=0, n_packets=7, n_bytes=8, idle_timeout=4, hard_timeout=5, priority=3,arp,in_port=1 actions=output:2',
      'duration=0s, table=0, n_packets=0, n_bytes=0, priority=0 actions=drop',
    ],
  ],
  [
    'aggregate_stats_request',
    {
      type: 'aggregate_stats_request',
      xid: 12,
      flags: 0,
      match: ofp10Match({}),
      tableId: 0xff,
      outPort: Port.NONE,
    },
    ['OFPST_AGGREGATE request (xid=0xc):'],
  ],
  [
    'aggregate_stats_reply',
    { type: 'aggregate_stats_reply', xid: 12, flags: 0, packetCount: 10n, byteCount: 600n, flowCount: 2 },
    ['OFPST_AGGREGATE reply (xid=0xc): packet_count=10 byte_count=600 flow_count=2'],
  ],
  [
    'table_stats_request',
    { type: 'table_stats_request', xid: 12, flags: 0 },
    ['OFPST_TABLE request (xid=0xc)'],
  ],
  [
    'table_stats_reply',
    {
      type: 'table_stats_reply',
      xid: 12,
      flags: 0,
      tables: [
        {
          tableId: 0,
          name: 'classifier',
          wildcards: 0x3fffff,
          maxEntries: 1000000,
          activeCount: 3,
          lookupCount: 100n,
          matchedCount: 50n,
        },
      ],
    },
    ['table 0 ("classifier")', 'active=3, lookup=100, matched=50', 'max_entries=1000000'],
  ],
  [
    'port_stats_request',
    { type: 'port_stats_request', xid: 13, flags: 0, portNo: Port.NONE },
    ['OFPST_PORT request (xid=0xd): port_no=ANY'],
  ],
  [
    'port_stats_reply',
    {
      type: 'port_stats_reply',
      xid: 13,
      flags: 0,
      ports: [
        {
          portNo: 1,
          rxPackets: 1n,
          txPackets: 2n,
          rxBytes: 3n,
          txBytes: 4n,
          rxDropped: 5n,
          txDropped: 6n,
          rxErrors: 7n,
          txErrors: 8n,
          rxFrameErr: 9n,
          rxOverErr: 10n,
          rxCrcErr: 11n,
          collisions: 12n,
        },
      ],
    },
    [
      'OFPST_PORT reply (xid=0xd): 1 ports',
      'port  1: rx pkts=1, bytes=3, drop=5, errs=7, frame=9, over=10, crc=11',
      'tx pkts=2, bytes=4, drop=6, errs=8, coll=12',
    ],
  ],
  [
    'queue_stats_request',
    { type: 'queue_stats_request', xid: 14, flags: 0, portNo: Port.ALL, queueId: 0xffffffff },
    ['OFPST_QUEUE request (xid=0xe): port=ANY queue=ALL'],
  ],
  [
    'queue_stats_reply',
    {
      type: 'queue_stats_reply',
      xid: 14,
      flags: 0,
      queues: [{ portNo: 1, queueId: 2, txBytes: 3n, txPackets: 4n, txErrors: 5n }],
    },
    ['OFPST_QUEUE reply (xid=0xe): 1 queues', 'port 1 queue 2: bytes=3, pkts=4, errors=5'],
  ],
  [
    'port_desc_stats_request',
    { type: 'port_desc_stats_request', xid: 14, flags: 0 },
    ['OFPST_PORT_DESC request (xid=0xe)'],
  ],
  [
    'port_desc_stats_reply',
    { type: 'port_desc_stats_reply', xid: 14, flags: 0, ports: [port1] },
    ['OFPST_PORT_DESC reply (xid=0xe):', ' 1(p1): addr:02:00:00:00:00:01'],
  ],
  [
    // NXST_FLOW request: subtype 0, pad, out_port, match_len 0, table_id 0xff.
    'vendor_stats_request',
    {
      type: 'vendor_stats_request',
      xid: 15,
      flags: 0,
      vendor: NX_VENDOR_ID,
      data: Buffer.from('0000000000000000ffff0000ff000000', 'hex'),
    },
    ['NXST_FLOW request (xid=0xf):'],
  ],
  [
    // NXST_AGGREGATE reply: subtype 1, pad, packet/byte/flow counts.
    'vendor_stats_reply',
    {
      type: 'vendor_stats_reply',
      xid: 15,
      flags: 0,
      vendor: NX_VENDOR_ID,
      data: Buffer.from(
        '0000000100000000' + '0000000000000005' + '0000000000000140' + '0000000300000000',
        'hex',
      ),
    },
    ['NXST_AGGREGATE reply (xid=0xf): packet_count=5 byte_count=320 flow_count=3'],
  ],
  ['barrier_request', { type: 'barrier_request', xid: 19 }, ['OFPT_BARRIER_REQUEST (xid=0x13)']],
  ['barrier_reply', { type: 'barrier_reply', xid: 19 }, ['OFPT_BARRIER_REPLY (xid=0x13)']],
  [
    'queue_get_config_request',
    { type: 'queue_get_config_request', xid: 20, port: 1 },
    ['OFPT_QUEUE_GET_CONFIG_REQUEST (xid=0x14): port=1'],
  ],
  [
    'queue_get_config_reply',
    {
      type: 'queue_get_config_reply',
      xid: 20,
      port: 1,
      queues: [
        { queueId: 1, properties: [{ type: 'min_rate', rate: 500 }] },
        { queueId: 2, properties: [] },
      ],
    },
    ['OFPT_QUEUE_GET_CONFIG_REPLY (xid=0x14): port=1', 'queue 1: min_rate:50.0%', 'queue 2:'],
  ],
];

describe('ovs-ofctl ofp-print reads what we encode', () => {
  it.each(cases)('%s', (_name, value, expected) => {
    const out = ofpPrint(value);
    for (const text of expected) expect(out).toContain(text);
  });

  it('packet_out with Nicira actions (OVS-written bytes, decoded and re-encoded by us)', () => {
    const actions = decodeAll(list(ofp10Action), Buffer.from(NX_ACTION_HEX.join(''), 'hex'));
    const out = ofpPrint({
      type: 'packet_out',
      xid: 1,
      bufferId: 0x42,
      inPort: 1,
      actions,
      data: Buffer.alloc(0),
    });
    expect(out).toContain(
      'in_port=1 actions=resubmit:3,resubmit(,2),note:01.02.03.04.00.00,set_queue:5,load:0x5->NXM_NX_REG0[],pop_queue buffer=0x00000042',
    );
  });
});

/** A match spec whose fields all meet their prerequisites (OVS drops the others), with its printed tokens. */
const printedMatch: fc.Arbitrary<[Ofp10MatchSpec, readonly string[]]> = fc
  .record(
    {
      inPort: physPort,
      dlSrc: mac,
      dlDst: mac,
      dlVlan: fc.integer({ min: 0, max: 4095 }),
      dlVlanPcp: fc.integer({ min: 0, max: 7 }),
      l3: fc.oneof(
        fc.record({ kind: fc.constant('other' as const), dlType: fc.constantFrom(0x1234, 0x88b5, 0x9000) }),
        fc.record(
          {
            kind: fc.constant('ip' as const),
            nwSrc: fc.tuple(ipv4, fc.integer({ min: 1, max: 32 })),
            nwDst: fc.tuple(ipv4, fc.integer({ min: 1, max: 32 })),
            dscp: fc.integer({ min: 0, max: 63 }),
            l4: fc.record(
              { proto: fc.constantFrom(6, 17), tpSrc: u16, tpDst: u16 },
              { requiredKeys: ['proto'] },
            ),
          },
          { requiredKeys: ['kind'] },
        ),
      ),
    },
    { requiredKeys: ['l3'] },
  )
  .map(({ l3, ...l2 }) => {
    const tokens: string[] = [];
    const spec: { -readonly [K in keyof Ofp10MatchSpec]: Ofp10MatchSpec[K] } = { ...l2 };
    if (l2.inPort !== undefined) tokens.push(`in_port=${l2.inPort}`);
    if (l2.dlSrc !== undefined) tokens.push(`dl_src=${l2.dlSrc}`);
    if (l2.dlDst !== undefined) tokens.push(`dl_dst=${l2.dlDst}`);
    if (l2.dlVlan !== undefined) tokens.push(`dl_vlan=${l2.dlVlan}`);
    if (l2.dlVlanPcp !== undefined) tokens.push(`dl_vlan_pcp=${l2.dlVlanPcp}`);
    if (l3.kind === 'other') {
      spec.dlType = l3.dlType;
      tokens.push(`dl_type=0x${l3.dlType.toString(16).padStart(4, '0')}`);
    } else {
      spec.dlType = 0x0800;
      const prefix = (p: readonly [Ipv4Address, number] | undefined, field: string) => {
        if (!p) return undefined;
        const wire = ofp10Match({ nwSrc: { address: p[0], prefixLength: p[1] } }).nwSrc;
        tokens.push(`${field}=${wire}${p[1] === 32 ? '' : `/${p[1]}`}`);
        return { address: p[0], prefixLength: p[1] };
      };
      const nwSrc = prefix(l3.nwSrc, 'nw_src');
      const nwDst = prefix(l3.nwDst, 'nw_dst');
      if (nwSrc) spec.nwSrc = nwSrc;
      if (nwDst) spec.nwDst = nwDst;
      if (l3.dscp !== undefined) {
        spec.nwTos = l3.dscp << 2;
        tokens.push(`nw_tos=${l3.dscp << 2}`);
      }
      if (l3.l4) {
        spec.nwProto = l3.l4.proto;
        tokens.push(l3.l4.proto === 6 ? 'tcp' : 'udp');
        if (l3.l4.tpSrc !== undefined) {
          spec.tpSrc = l3.l4.tpSrc;
          tokens.push(`tp_src=${l3.l4.tpSrc}`);
        }
        if (l3.l4.tpDst !== undefined) {
          spec.tpDst = l3.l4.tpDst;
          tokens.push(`tp_dst=${l3.l4.tpDst}`);
        }
      } else tokens.push('ip');
    }
    return [spec, tokens];
  });

describe('ovs-ofctl ofp-print agrees on random flow-mods', () => {
  it('prints the match fields and actions we encode', () => {
    fc.assert(
      fc.property(
        printedMatch,
        fc.array(actionWithText, { maxLength: 6 }),
        fc.integer({ min: 0, max: 0xffff }),
        ([spec, tokens], acts, priority) => {
          const out = ofpPrint({
            ...flowModBase,
            match: ofp10Match(spec),
            priority,
            actions: acts.map(([a]) => a),
          });
          const m = /: ADD (\S*) cookie:0x1234 actions=(\S+)/.exec(out);
          expect(m).not.toBeNull();
          const printed = m![1]!.split(',').filter((t) => t !== `priority=${priority}` && t !== '');
          expect(printed.sort()).toEqual([...tokens].sort());
          expect(m![2]).toBe(acts.length === 0 ? 'drop' : acts.map(([, text]) => text).join(','));
        },
      ),
      { numRuns: 150 },
    );
  });
});
