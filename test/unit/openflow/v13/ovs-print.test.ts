/**
 * Differential test with OVS as the decoder: messages we encode from random (OVS-valid)
 * values are printed by `ovs-ofctl ofp-print`, which must report no decode error and show
 * every field we put in.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { encodeToBuffer } from '../../../../src/openflow/codec';
import type { Action } from '../../../../src/openflow/v13/action';
import { wrapInBundle } from '../../../../src/openflow/v13/bundle-message';
import type { Instruction } from '../../../../src/openflow/v13/instruction';
import { type Ofp13Message, ofp13Message } from '../../../../src/openflow/v13/message';
import { mac } from '../packet/arbitraries';
import { u8, u16, u32, u64 } from '../wire-arbitraries';
import { match } from './arbitraries';
import { sampleFlowMod, samplePort } from './samples';

function ofpPrint(m: Ofp13Message): string {
  const hex = encodeToBuffer(ofp13Message, m).toString('hex');
  const r = spawnSync('ovs-ofctl', ['ofp-print', hex], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ofp-print ${hex}: ${r.stderr}`);
  return r.stdout;
}

/** Prints `m` with OVS and checks it decoded cleanly and shows each expected piece of text. */
function expectPrinted(m: Ofp13Message, expected: readonly string[]): void {
  const out = ofpPrint(m);
  expect(out).not.toContain('***');
  for (const e of expected) {
    if (!out.includes(e)) throw new Error(`ofp-print output lacks ${JSON.stringify(e)}:\n${out}`);
  }
}

const check = <T>(arb: fc.Arbitrary<T>, test: (v: T) => void) =>
  fc.assert(fc.property(arb, test), { numRuns: 25 });

const hex = (n: number | bigint) => `0x${n.toString(16)}`;
/** C's %#x: no prefix for zero. */
const altHex = (n: number) => (n === 0 ? '0' : hex(n));
/** Counters and cookies below UINT64_MAX and durations below UINT32_MAX (which OVS prints as "?", unknown). */
const counter = fc.bigInt({ min: 0n, max: (1n << 64n) - 2n });
const seconds = fc.integer({ min: 0, max: 0xfffffffe });
const xid = u32;
/** Physical port numbers OVS accepts (below OFPP_MAX, in its 16-bit range). */
const portNo = fc.integer({ min: 1, max: 0xfeff });
const group = fc.integer({ min: 0, max: 0xffffff00 });
const queue = fc.integer({ min: 0, max: 0xfffffffe });
const table = fc.integer({ min: 0, max: 253 });
const meterId = fc.integer({ min: 1, max: 0xffff0000 });

/** Actions OVS prints back unchanged, with the text it prints for each. */
const actionWithText: fc.Arbitrary<[Action, string]> = fc.oneof(
  portNo.map((port): [Action, string] => [{ type: 'output', port, maxLen: 0 }, `output:${port}`]),
  fc
    .integer({ min: 0, max: 0xffe5 })
    .map((maxLen): [Action, string] => [
      { type: 'output', port: 0xfffffffd, maxLen },
      maxLen === 0xffe5 ? 'CONTROLLER:65509' : `CONTROLLER:${maxLen}`,
    ]),
  group.map((groupId): [Action, string] => [{ type: 'group', groupId }, `group:${groupId}`]),
  queue.map((queueId): [Action, string] => [{ type: 'set_queue', queueId }, `set_queue:${queueId}`]),
);

describe('ovs-ofctl ofp-print reads what we encode', () => {
  it('flow_mod (add) with apply/write actions, goto_table, write_metadata, meter, clear_actions', () => {
    check(
      fc.record({
        xid,
        cookie: counter,
        tableId: fc.integer({ min: 0, max: 100 }),
        idleTimeout: u16,
        hardTimeout: u16,
        priority: u16,
        flags: fc.integer({ min: 0, max: 0x1f }),
        actions: fc.array(actionWithText, { minLength: 1, maxLength: 4 }),
        metadata: u64,
        meter: meterId,
      }),
      (v) => {
        const instructions: Instruction[] = [
          { type: 'meter', meterId: v.meter },
          { type: 'apply_actions', actions: v.actions.map(([a]) => a) },
          { type: 'clear_actions' },
          { type: 'write_actions', actions: [v.actions[0]![0]] },
          { type: 'write_metadata', metadata: v.metadata, metadataMask: (1n << 64n) - 1n },
          { type: 'goto_table', tableId: v.tableId + 1 },
        ];
        const expected = [
          `(xid=${hex(v.xid)})`,
          'ADD',
          `priority=${v.priority}`,
          `actions=meter:${v.meter},${v.actions.map(([, t]) => t).join(',')},clear_actions,write_actions(${v.actions[0]![1]}),write_metadata:${v.metadata === 0n ? '0' : hex(v.metadata)},goto_table:${v.tableId + 1}`,
        ];
        if (v.tableId !== 0) expected.push(`table:${v.tableId}`);
        if (v.cookie !== 0n) expected.push(`cookie:${hex(v.cookie)}`);
        if (v.idleTimeout) expected.push(`idle:${v.idleTimeout}`);
        if (v.hardTimeout) expected.push(`hard:${v.hardTimeout}`);
        if (v.flags & 1) expected.push('send_flow_rem');
        if (v.flags & 2) expected.push('check_overlap');
        if (v.flags & 4) expected.push('reset_counts');
        expectPrinted(
          {
            type: 'flow_mod',
            xid: v.xid,
            cookie: v.cookie,
            cookieMask: 0n,
            tableId: v.tableId,
            command: 0,
            idleTimeout: v.idleTimeout,
            hardTimeout: v.hardTimeout,
            priority: v.priority,
            bufferId: 0xffffffff,
            outPort: 0xffffffff,
            outGroup: 0xffffffff,
            flags: v.flags,
            match: { fields: [] } as never,
            instructions,
          },
          expected,
        );
      },
    );
  });

  it('flow_mod (delete) with out_port, out_group, cookie mask and an OVS-made match', () => {
    check(fc.record({ xid, cookie: counter, outPort: portNo, strict: fc.boolean(), match }), (v) => {
      const out = ofpPrint({
        type: 'flow_mod',
        xid: v.xid,
        cookie: v.cookie,
        cookieMask: (1n << 64n) - 1n,
        tableId: 0xff,
        command: v.strict ? 4 : 3,
        idleTimeout: 0,
        hardTimeout: 0,
        priority: 0x8000,
        bufferId: 0xffffffff,
        outPort: v.outPort,
        outGroup: 0xffffffff,
        flags: 0,
        match: v.match,
        instructions: [],
      });
      expect(out).not.toContain('***');
      expect(out).toContain(v.strict ? 'DEL_STRICT' : 'DEL ');
      expect(out).toContain(`cookie:${hex(v.cookie)}/0xffffffffffffffff`);
      expect(out).toContain(`out_port:${v.outPort}`);
    });
  });

  it('packet_out', () => {
    check(
      fc.record({
        xid,
        inPort: portNo,
        actions: fc.array(actionWithText, { maxLength: 3 }),
        data: fc.uint8Array({ minLength: 14, maxLength: 60 }),
      }),
      (v) => {
        expectPrinted(
          {
            type: 'packet_out',
            xid: v.xid,
            bufferId: 0xffffffff,
            inPort: v.inPort,
            actions: v.actions.map(([a]) => a),
            data: Buffer.from(v.data),
          },
          [
            `in_port=${v.inPort}`,
            `actions=${v.actions.length ? v.actions.map(([, t]) => t).join(',') : 'drop'}`,
            `data_len=${v.data.length}`,
          ],
        );
      },
    );
  });

  it('packet_in', () => {
    check(
      fc.record({
        xid,
        tableId: table,
        cookie: counter,
        reason: fc.integer({ min: 0, max: 2 }),
        bufferId: u32,
        match,
        data: fc.uint8Array({ minLength: 14, maxLength: 60 }),
      }),
      (v) => {
        const reasons = ['no_match', 'action', 'invalid_ttl'];
        const expected = [
          `cookie=${hex(v.cookie)}`,
          `total_len=${v.data.length}`,
          `(via ${reasons[v.reason]})`,
          `data_len=${v.data.length}`,
        ];
        if (v.tableId !== 0) expected.push(`table_id=${v.tableId}`);
        if (v.bufferId !== 0xffffffff) expected.push(`buffer=0x${v.bufferId.toString(16).padStart(8, '0')}`);
        expectPrinted(
          {
            type: 'packet_in',
            xid: v.xid,
            bufferId: v.bufferId,
            totalLen: v.data.length,
            reason: v.reason,
            tableId: v.tableId,
            cookie: v.cookie,
            match: v.match,
            data: Buffer.from(v.data),
          },
          expected,
        );
      },
    );
  });

  it('flow_removed', () => {
    check(
      fc.record({
        xid,
        cookie: counter,
        priority: u16,
        reason: fc.integer({ min: 0, max: 3 }),
        tableId: table,
        durationSec: seconds,
        durationNsec: fc.integer({ min: 0, max: 999999999 }),
        idleTimeout: u16,
        hardTimeout: u16,
        packetCount: counter,
        byteCount: counter,
        match,
      }),
      (v) => {
        const reasons = ['idle', 'hard', 'delete', 'group_delete'];
        const expected = [
          `priority=${v.priority}`,
          `reason=${reasons[v.reason]}`,
          `table_id=${v.tableId}`,
          `duration${v.durationSec}`,
          `idle${v.idleTimeout}`,
          `pkts${v.packetCount}`,
          `bytes${v.byteCount}`,
        ];
        if (v.cookie !== 0n) expected.push(`cookie:${hex(v.cookie)}`);
        if (v.hardTimeout !== 0) expected.push(`hard${v.hardTimeout}`);
        expectPrinted({ type: 'flow_removed', ...v }, expected);
      },
    );
  });

  it('port_status', () => {
    check(
      fc.record({
        xid,
        reason: fc.integer({ min: 0, max: 2 }),
        portNo,
        hwAddr: mac,
        name: fc.stringMatching(/^[a-z][a-z0-9]{0,14}$/),
      }),
      (v) => {
        expectPrinted(
          {
            type: 'port_status',
            xid: v.xid,
            reason: v.reason,
            desc: samplePort(v.portNo, { hwAddr: v.hwAddr, name: v.name, config: 1, state: 1 }),
          },
          [
            `${['ADD', 'DEL', 'MOD'][v.reason]}: ${v.portNo}(${v.name}): addr:${v.hwAddr}`,
            'config:     PORT_DOWN',
            'state:      LINK_DOWN',
          ],
        );
      },
    );
  });

  it('group_mod with select / fast-failover buckets', () => {
    check(
      fc.record({
        xid,
        command: fc.integer({ min: 0, max: 1 }),
        groupId: fc.integer({ min: 0, max: 0xffffff00 }),
        buckets: fc.array(
          fc.record({ weight: fc.integer({ min: 1, max: 0xffff }), watchPort: portNo, out: portNo }),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        ff: fc.boolean(),
      }),
      (v) => {
        const buckets = v.buckets.map((b) => ({
          weight: v.ff ? 0 : b.weight,
          watchPort: v.ff ? b.watchPort : 0xffffffff,
          watchGroup: 0xffffffff,
          actions: [{ type: 'output' as const, port: b.out, maxLen: 0 }],
        }));
        const text = v.buckets
          .map((b) =>
            v.ff
              ? `bucket=watch_port:${b.watchPort},actions=output:${b.out}`
              : // ovs-ofctl leaves out the default weight (1).
                `bucket=${b.weight === 1 ? '' : `weight:${b.weight},`}actions=output:${b.out}`,
          )
          .join(',');
        expectPrinted(
          {
            type: 'group_mod',
            xid: v.xid,
            command: v.command,
            groupType: v.ff ? 3 : 1,
            groupId: v.groupId,
            buckets,
          },
          [`${v.command ? 'MOD' : 'ADD'} group_id=${v.groupId},type=${v.ff ? 'ff' : 'select'},${text}`],
        );
      },
    );
  });

  it('meter_mod with drop and dscp_remark bands', () => {
    check(
      fc.record({
        xid,
        meterId: fc.integer({ min: 1, max: 0xffff0000 }),
        kbps: fc.boolean(),
        bands: fc.array(
          fc.record({
            remark: fc.boolean(),
            rate: fc.integer({ min: 1, max: 0xffffffff }),
            burstSize: fc.integer({ min: 1, max: 0xffffffff }),
            precLevel: fc.integer({ min: 1, max: 63 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
      }),
      (v) => {
        const bands = v.bands.map((b) =>
          b.remark
            ? { type: 'dscp_remark' as const, rate: b.rate, burstSize: b.burstSize, precLevel: b.precLevel }
            : { type: 'drop' as const, rate: b.rate, burstSize: b.burstSize },
        );
        expectPrinted(
          {
            type: 'meter_mod',
            xid: v.xid,
            command: 0,
            flags: (v.kbps ? 1 : 2) | 4 | 8,
            meterId: v.meterId,
            bands,
          },
          [
            `ADD meter=${v.meterId} ${v.kbps ? 'kbps' : 'pktps'} burst stats bands=`,
            ...v.bands.map((b) =>
              b.remark
                ? `type=dscp_remark rate=${b.rate} burst_size=${b.burstSize} prec_level=${b.precLevel}`
                : `type=drop rate=${b.rate} burst_size=${b.burstSize}`,
            ),
          ],
        );
      },
    );
  });

  it('bundle control and bundle add (ONF extension on 1.3)', () => {
    const ctrl = [
      'bundle_open_request',
      'bundle_open_reply',
      'bundle_close_request',
      'bundle_close_reply',
      'bundle_commit_request',
      'bundle_commit_reply',
      'bundle_discard_request',
      'bundle_discard_reply',
    ] as const;
    check(
      fc.record({
        xid,
        bundleId: u32,
        flags: fc.integer({ min: 0, max: 3 }),
        kind: fc.constantFrom(...ctrl),
        priority: u16,
      }),
      (v) => {
        const flags =
          [v.flags & 1 ? 'atomic' : '', v.flags & 2 ? 'ordered' : ''].filter(Boolean).join(' ') || '0';
        expectPrinted({ type: v.kind, xid: v.xid, bundleId: v.bundleId, flags: v.flags, properties: [] }, [
          `ONFT_BUNDLE_CONTROL (OF1.3) (xid=${hex(v.xid)})`,
          `bundle_id=${altHex(v.bundleId)} type=${v.kind.replace('bundle_', '').toUpperCase()} flags=${flags}`,
        ]);
        const inner = sampleFlowMod({ xid: v.xid, priority: v.priority });
        expectPrinted(wrapInBundle(v.bundleId, v.flags, inner), [
          'ONFT_BUNDLE_ADD_MESSAGE (OF1.3)',
          `bundle_id=${altHex(v.bundleId)} flags=${flags}`,
          `OFPT_FLOW_MOD (OF1.3) (xid=${hex(v.xid)}): ADD priority=${v.priority} actions=drop`,
        ]);
      },
    );
  });

  it('config, role, table_mod, features_reply, async config', () => {
    check(
      fc.record({
        xid,
        frags: fc.integer({ min: 0, max: 2 }),
        missSendLen: u16,
        role: fc.integer({ min: 0, max: 3 }),
        generationId: counter,
        tableId: table,
        datapathId: u64,
        nBuffers: u32,
        nTables: fc.integer({ min: 1, max: 254 }),
        masks: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 6, maxLength: 6 }),
      }),
      (v) => {
        const frags = ['normal', 'drop', 'reassemble'][v.frags];
        expectPrinted({ type: 'set_config', xid: v.xid, flags: v.frags, missSendLen: v.missSendLen }, [
          `frags=${frags} miss_send_len=${v.missSendLen}`,
        ]);
        expectPrinted({ type: 'get_config_reply', xid: v.xid, flags: v.frags, missSendLen: v.missSendLen }, [
          `OFPT_GET_CONFIG_REPLY (OF1.3) (xid=${hex(v.xid)}): frags=${frags} miss_send_len=${v.missSendLen}`,
        ]);
        const role = ['nochange', 'equal', 'primary', 'secondary'][v.role];
        const out = ofpPrint({
          type: 'role_request',
          xid: v.xid,
          role: v.role,
          generationId: v.generationId,
        });
        expect(out).toContain(`role=${role}`);
        if (v.role !== 0) expect(out).toContain(`generation_id=${v.generationId}`);
        expectPrinted({ type: 'table_mod', xid: v.xid, tableId: v.tableId, config: 0 }, [
          `table_id=${v.tableId}`,
        ]);
        expectPrinted(
          {
            type: 'features_reply',
            xid: v.xid,
            datapathId: v.datapathId,
            nBuffers: v.nBuffers,
            nTables: v.nTables,
            auxiliaryId: 0,
            capabilities: 0x4f,
            reserved: 0,
          },
          [
            `dpid:${v.datapathId.toString(16).padStart(16, '0')}`,
            `n_tables:${v.nTables}, n_buffers:${v.nBuffers}`,
            'capabilities: FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS QUEUE_STATS',
          ],
        );
        const [a, b, c, d, e, f] = v.masks as [number, number, number, number, number, number];
        const reasons = (m: number, names: readonly string[]) =>
          names.filter((_, i) => m & (1 << i)).join(' ') || '(off)';
        const pin = ['no_match', 'action', 'invalid_ttl'];
        const ps = ['add', 'delete', 'modify'];
        const fr = ['idle', 'hard', 'delete'];
        expectPrinted(
          {
            type: 'set_async',
            xid: v.xid,
            packetInMaskMaster: a,
            packetInMaskSlave: b,
            portStatusMaskMaster: c,
            portStatusMaskSlave: d,
            flowRemovedMaskMaster: e,
            flowRemovedMaskSlave: f,
          },
          [
            `primary:\n       PACKET_IN: ${reasons(a, pin)}\n     PORT_STATUS: ${reasons(c, ps)}\n    FLOW_REMOVED: ${reasons(e, fr)}`,
            `secondary:\n       PACKET_IN: ${reasons(b, pin)}\n     PORT_STATUS: ${reasons(d, ps)}\n    FLOW_REMOVED: ${reasons(f, fr)}`,
          ],
        );
      },
    );
  });

  it('port_mod and queue get-config reply', () => {
    check(
      fc.record({
        xid,
        portNo,
        hwAddr: mac,
        down: fc.boolean(),
        min: fc.integer({ min: 0, max: 1000 }),
        queueId: u32,
      }),
      (v) => {
        expectPrinted(
          {
            type: 'port_mod',
            xid: v.xid,
            portNo: v.portNo,
            hwAddr: v.hwAddr,
            config: v.down ? 1 : 0,
            mask: 1,
            advertise: 0,
          },
          [
            `port: ${v.portNo}: addr:${v.hwAddr}`,
            `config: ${v.down ? 'PORT_DOWN' : '0'}`,
            'mask:   PORT_DOWN',
          ],
        );
        expectPrinted(
          {
            type: 'queue_get_config_reply',
            xid: v.xid,
            port: v.portNo,
            queues: [{ queueId: v.queueId, port: v.portNo, properties: [{ type: 'min_rate', rate: v.min }] }],
          },
          [`port=${v.portNo}`, `queue ${v.queueId}: min_rate:${(v.min / 10).toFixed(1)}%`],
        );
      },
    );
  });

  it('flow, aggregate, table, port, queue stats replies', () => {
    check(
      fc.record({
        xid,
        tableId: table,
        durationSec: seconds,
        priority: u16,
        cookie: counter,
        packetCount: counter,
        byteCount: counter,
        flowCount: u32,
        activeCount: u32,
        portNo,
        queueId: fc.integer({ min: 0, max: 0xfffffffe }),
        counters: fc.array(counter, { minLength: 12, maxLength: 12 }),
        out: portNo,
      }),
      (v) => {
        expectPrinted(
          {
            type: 'flow_stats_reply',
            xid: v.xid,
            flags: 0,
            stats: [
              {
                tableId: v.tableId,
                durationSec: v.durationSec,
                durationNsec: 0,
                priority: v.priority,
                idleTimeout: 0,
                hardTimeout: 0,
                flags: 0,
                cookie: v.cookie,
                packetCount: v.packetCount,
                byteCount: v.byteCount,
                match: { fields: [] } as never,
                instructions: [
                  { type: 'apply_actions', actions: [{ type: 'output', port: v.out, maxLen: 0 }] },
                ],
              },
            ],
          },
          [
            `cookie=${hex(v.cookie)}, duration=${v.durationSec}s, table=${v.tableId}, n_packets=${v.packetCount}, n_bytes=${v.byteCount}`,
            `priority=${v.priority} actions=output:${v.out}`,
          ],
        );
        expectPrinted(
          {
            type: 'aggregate_stats_reply',
            xid: v.xid,
            flags: 0,
            packetCount: v.packetCount,
            byteCount: v.byteCount,
            flowCount: v.flowCount,
          },
          [`packet_count=${v.packetCount} byte_count=${v.byteCount} flow_count=${v.flowCount}`],
        );
        expectPrinted(
          {
            type: 'table_stats_reply',
            xid: v.xid,
            flags: 0,
            stats: [
              {
                tableId: v.tableId,
                activeCount: v.activeCount,
                lookupCount: v.packetCount,
                matchedCount: v.byteCount,
              },
            ],
          },
          [
            `table ${v.tableId}:\n    active=${v.activeCount}, lookup=${v.packetCount}, matched=${v.byteCount}`,
          ],
        );
        const c = v.counters as bigint[];
        expectPrinted(
          {
            type: 'port_stats_reply',
            xid: v.xid,
            flags: 0,
            stats: [
              {
                portNo: v.portNo,
                rxPackets: c[0]!,
                txPackets: c[1]!,
                rxBytes: c[2]!,
                txBytes: c[3]!,
                rxDropped: c[4]!,
                txDropped: c[5]!,
                rxErrors: c[6]!,
                txErrors: c[7]!,
                rxFrameErr: c[8]!,
                rxOverErr: c[9]!,
                rxCrcErr: c[10]!,
                collisions: c[11]!,
                durationSec: v.durationSec,
                durationNsec: 0,
              },
            ],
          },
          [
            `rx pkts=${c[0]}, bytes=${c[2]}, drop=${c[4]}, errs=${c[6]}, frame=${c[8]}, over=${c[9]}, crc=${c[10]}`,
            `tx pkts=${c[1]}, bytes=${c[3]}, drop=${c[5]}, errs=${c[7]}, coll=${c[11]}`,
          ],
        );
        expectPrinted(
          {
            type: 'queue_stats_reply',
            xid: v.xid,
            flags: 0,
            stats: [
              {
                portNo: v.portNo,
                queueId: v.queueId,
                txBytes: c[0]!,
                txPackets: c[1]!,
                txErrors: c[2]!,
                durationSec: v.durationSec,
                durationNsec: 0,
              },
            ],
          },
          [
            `port ${v.portNo} queue ${v.queueId}: bytes=${c[0]}, pkts=${c[1]}, errors=${c[2]}, duration=${v.durationSec}s`,
          ],
        );
      },
    );
  });

  it('group and meter stats, desc, features replies', () => {
    check(
      fc.record({
        xid,
        groupId: fc.integer({ min: 0, max: 0xffffff00 }),
        meterId: fc.integer({ min: 1, max: 0xffff0000 }),
        refCount: u32,
        maxAll: fc.integer({ min: 1, max: 0xffffffff }),
        counts: fc.array(counter, { minLength: 4, maxLength: 4 }),
        maxMeter: u32,
        maxBands: u8,
        maxColor: u8,
        out: portNo,
      }),
      (v) => {
        const [p, b, bp, bb] = v.counts as [bigint, bigint, bigint, bigint];
        expectPrinted(
          {
            type: 'group_stats_reply',
            xid: v.xid,
            flags: 0,
            stats: [
              {
                groupId: v.groupId,
                refCount: v.refCount,
                packetCount: p,
                byteCount: b,
                durationSec: 1,
                durationNsec: 0,
                bucketStats: [{ packetCount: bp, byteCount: bb }],
              },
            ],
          },
          [
            `group_id=${v.groupId},duration=1s,ref_count=${v.refCount},packet_count=${p},byte_count=${b},bucket0:packet_count=${bp},byte_count=${bb}`,
          ],
        );
        expectPrinted(
          {
            type: 'group_desc_reply',
            xid: v.xid,
            flags: 0,
            groups: [
              {
                groupType: 2,
                groupId: v.groupId,
                buckets: [
                  {
                    weight: 0,
                    watchPort: 0xffffffff,
                    watchGroup: 0xffffffff,
                    actions: [{ type: 'output', port: v.out, maxLen: 0 }],
                  },
                ],
              },
            ],
          },
          [`group_id=${v.groupId},type=indirect,bucket=actions=output:${v.out}`],
        );
        expectPrinted(
          {
            type: 'meter_stats_reply',
            xid: v.xid,
            flags: 0,
            stats: [
              {
                meterId: v.meterId,
                flowCount: v.refCount,
                packetInCount: p,
                byteInCount: b,
                durationSec: 1,
                durationNsec: 0,
                bandStats: [{ packetBandCount: bp, byteBandCount: bb }],
              },
            ],
          },
          [
            `meter:${v.meterId} flow_count:${v.refCount} packet_in_count:${p} byte_in_count:${b} duration:1s bands:`,
            `0: packet_count:${bp} byte_count:${bb}`,
          ],
        );
        expectPrinted(
          {
            type: 'meter_config_reply',
            xid: v.xid,
            flags: 0,
            meters: [
              {
                flags: 2,
                meterId: v.meterId,
                bands: [{ type: 'drop', rate: v.refCount || 1, burstSize: 0 }],
              },
            ],
          },
          [`meter=${v.meterId} pktps bands=\ntype=drop rate=${v.refCount || 1}`],
        );
        expectPrinted(
          {
            type: 'meter_features_reply',
            xid: v.xid,
            flags: 0,
            maxMeter: v.maxMeter,
            bandTypes: 6,
            capabilities: 15,
            maxBands: v.maxBands,
            maxColor: v.maxColor,
          },
          [
            `max_meter:${v.maxMeter} max_bands:${v.maxBands} max_color:${v.maxColor}`,
            'band_types: drop dscp_remark',
          ],
        );
        expectPrinted(
          {
            type: 'group_features_reply',
            xid: v.xid,
            flags: 0,
            types: 15,
            capabilities: 7,
            maxGroups: { all: v.maxAll, select: 2, indirect: 3, ff: 4 },
            actions: { all: 1, select: 1, indirect: 1, ff: 1 },
          },
          [`all group:\n       max_groups=${hex(v.maxAll)}\n       actions: output`],
        );
        expectPrinted(
          {
            type: 'desc_reply',
            xid: v.xid,
            flags: 0,
            mfrDesc: `m${v.maxBands}`,
            hwDesc: `h${v.maxColor}`,
            swDesc: 'sw',
            serialNum: `${v.meterId}`,
            dpDesc: 'dp',
          },
          [
            `Manufacturer: m${v.maxBands}\nHardware: h${v.maxColor}\nSoftware: sw\nSerial Num: ${v.meterId}\nDP Description: dp`,
          ],
        );
      },
    );
  });

  it('multipart requests', () => {
    check(
      fc.record({
        xid,
        portNo,
        groupId: fc.integer({ min: 0, max: 0xffffff00 }),
        meterId: fc.integer({ min: 1, max: 0xffff0000 }),
      }),
      (v) => {
        expectPrinted({ type: 'port_stats_request', xid: v.xid, flags: 0, portNo: v.portNo }, [
          `OFPST_PORT request (OF1.3) (xid=${hex(v.xid)}): port_no=${v.portNo}`,
        ]);
        expectPrinted(
          { type: 'queue_stats_request', xid: v.xid, flags: 0, portNo: v.portNo, queueId: 0xffffffff },
          [`port=${v.portNo} queue=ALL`],
        );
        expectPrinted({ type: 'group_stats_request', xid: v.xid, flags: 0, groupId: v.groupId }, [
          `OFPST_GROUP request (OF1.3) (xid=${hex(v.xid)}): group_id=${v.groupId}`,
        ]);
        expectPrinted({ type: 'meter_stats_request', xid: v.xid, flags: 0, meterId: v.meterId }, [
          `OFPST_METER request (OF1.3) (xid=${hex(v.xid)}): meter=${v.meterId}`,
        ]);
        expectPrinted({ type: 'meter_config_request', xid: v.xid, flags: 0, meterId: v.meterId }, [
          `OFPST_METER_CONFIG request (OF1.3) (xid=${hex(v.xid)}): meter=${v.meterId}`,
        ]);
        for (const type of [
          'desc_request',
          'table_stats_request',
          'group_desc_request',
          'group_features_request',
          'meter_features_request',
          'port_desc_request',
        ] as const) {
          expect(ofpPrint({ type, xid: v.xid, flags: 0 })).not.toContain('***');
        }
        expectPrinted({ type: 'queue_get_config_request', xid: v.xid, port: v.portNo }, [
          `OFPT_QUEUE_GET_CONFIG_REQUEST (OF1.3) (xid=${hex(v.xid)}): port=${v.portNo}`,
        ]);
      },
    );
  });

  it('error, echo, barrier, hello', () => {
    check(fc.record({ xid, data: fc.uint8Array({ maxLength: 20 }) }), (v) => {
      const barrier = encodeToBuffer(ofp13Message, { type: 'barrier_request', xid: v.xid });
      expectPrinted({ type: 'error', xid: v.xid, errType: 5, code: 3, data: barrier }, [
        `OFPT_ERROR (OF1.3) (xid=${hex(v.xid)}): OFPFMFC_OVERLAP\nOFPT_BARRIER_REQUEST (OF1.3) (xid=${hex(v.xid)})`,
      ]);
      expectPrinted({ type: 'echo_request', xid: v.xid, data: Buffer.from(v.data) }, [
        `OFPT_ECHO_REQUEST (OF1.3) (xid=${hex(v.xid)}): ${v.data.length} bytes of payload`,
      ]);
      expectPrinted({ type: 'barrier_reply', xid: v.xid }, [
        `OFPT_BARRIER_REPLY (OF1.3) (xid=${hex(v.xid)})`,
      ]);
      expectPrinted(
        { type: 'hello', version: 4, xid: v.xid, elements: [{ type: 'versionbitmap', bitmaps: [0x12] }] },
        [`OFPT_HELLO (OF1.3) (xid=${hex(v.xid)}):\n version bitmap: 0x01, 0x04`],
      );
    });
  });

  it('table_features reply with the required properties', () => {
    const id = (idType: number) => ({ idType, data: Buffer.alloc(0) });
    check(
      fc.record({
        xid,
        tableId: fc.integer({ min: 0, max: 200 }),
        name: fc.stringMatching(/^[a-z][a-z0-9_]{0,30}$/),
        // OVS leaves out zero metadata masks and a zero max_entries.
        metadataMatch: u64.filter((x) => x !== 0n),
        metadataWrite: u64.filter((x) => x !== 0n),
        maxEntries: u32.filter((x) => x !== 0),
        next: fc.integer({ min: 2, max: 50 }),
      }),
      (v) => {
        expectPrinted(
          {
            type: 'table_features_reply',
            xid: v.xid,
            flags: 0,
            tables: [
              {
                tableId: v.tableId,
                name: v.name,
                metadataMatch: v.metadataMatch,
                metadataWrite: v.metadataWrite,
                config: 0,
                maxEntries: v.maxEntries,
                properties: [
                  { type: 'instructions', instructionIds: [id(1), id(4)] },
                  { type: 'next_tables', nextTableIds: [v.tableId + 1, v.tableId + 1 + v.next] },
                  { type: 'write_actions', actionIds: [id(0)] },
                  { type: 'apply_actions', actionIds: [id(0), id(22)] },
                  { type: 'match', oxmIds: [0x80000004, 0x80000606] },
                  { type: 'wildcards', oxmIds: [0x80000606] },
                  { type: 'write_setfield', oxmIds: [] },
                  { type: 'apply_setfield', oxmIds: [0x80000606] },
                ],
              },
            ],
          },
          [
            `table ${v.tableId} ("${v.name}"):`,
            `metadata: match=${hex(v.metadataMatch)} write=${hex(v.metadataWrite)}`,
            `max_entries=${v.maxEntries}`,
            `next tables: ${v.tableId + 1},${v.tableId + 1 + v.next}`,
            'instructions: apply_actions goto_table',
            'Write-Actions features:\n        actions: output',
            'Apply-Actions features:\n        actions: output group\n        supported on Set-Field: eth_dst',
            'exact match or wildcard: eth_dst',
            'must exact match: in_port_oxm',
          ],
        );
      },
    );
  });
});
