/**
 * Against a private OVS (dummy datapath, bridge speaking only OpenFlow 1.3): the test
 * listens as the controller, does the handshake with our codecs, installs flows with
 * flow-mods and with a bundle (open, add × N, commit), a group and a meter, and checks
 * with `ovs-ofctl dump-flows / dump-groups / dump-meters` what the switch really holds.
 * Every message OVS sends back (features, multipart replies up to the full table-features
 * set) decodes with ours and re-encodes to the same bytes.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { decodeAll, encodeToBuffer } from '../../../../src/openflow/codec';
import { helloVersions, makeHello } from '../../../../src/openflow/hello';
import type { Action } from '../../../../src/openflow/v13/action';
import { wrapInBundle } from '../../../../src/openflow/v13/bundle-message';
import { BundleFlags, NO_BUFFER, Port } from '../../../../src/openflow/v13/constants';
import type { FlowMod } from '../../../../src/openflow/v13/flow-mod';
import { type Ofp13Message, ofp13Message } from '../../../../src/openflow/v13/message';
import { cleanupAll, type OvsInstance, startOvs } from '../../../harness';
import { MessageCutter } from '../../../unit/openflow/protocol/message-cutter';

afterAll(cleanupAll);

/** One switch connection: decoded messages in arrival order, waiters by predicate. */
class Connection {
  private readonly cutter = new MessageCutter();
  private readonly inbox: Ofp13Message[] = [];
  private waiters: { match: (m: Ofp13Message) => boolean; resolve: (m: Ofp13Message) => void }[] = [];
  /** Every raw message received, to check that each re-encodes to the same bytes. */
  readonly raw: Buffer[] = [];
  private nextXid = 1;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) =>
      this.cutter.feed(chunk, (bytes) => {
        this.raw.push(bytes);
        this.deliver(decodeAll(ofp13Message, bytes));
      }),
    );
  }

  private deliver(m: Ofp13Message): void {
    if (m.type === 'echo_request') {
      this.send({ type: 'echo_reply', xid: m.xid, data: m.data });
      return;
    }
    const i = this.waiters.findIndex((w) => w.match(m));
    if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(m);
    else this.inbox.push(m);
  }

  xid(): number {
    return this.nextXid++;
  }

  send(m: Ofp13Message): void {
    this.socket.write(encodeToBuffer(ofp13Message, m));
  }

  /** The first message (already received or to come) for which `match` holds. */
  next<T extends Ofp13Message>(match: (m: Ofp13Message) => m is T): Promise<T>;
  next(match: (m: Ofp13Message) => boolean): Promise<Ofp13Message>;
  next(match: (m: Ofp13Message) => boolean): Promise<Ofp13Message> {
    const i = this.inbox.findIndex(match);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]!);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Messages received and not taken by any `next`. */
  unclaimed(): readonly Ofp13Message[] {
    return this.inbox;
  }

  /** Sends a request, then collects every reply with its xid up to the one without the "more" flag. */
  async multipart(m: Ofp13Message): Promise<Ofp13Message[]> {
    this.send(m);
    const out: Ofp13Message[] = [];
    for (;;) {
      const r = await this.next((x) => x.xid === m.xid);
      out.push(r);
      // A reply without a flags field (an error) ends the exchange too.
      if (!('flags' in r) || (r.flags & 1) === 0) return out;
    }
  }

  close(): void {
    this.socket.destroy();
  }

  /** Sends a barrier and waits for its reply: every earlier message has been processed. */
  async barrier(): Promise<void> {
    const xid = this.xid();
    this.send({ type: 'barrier_request', xid });
    await this.next((m) => m.type === 'barrier_reply' && m.xid === xid);
  }
}

let ovs: OvsInstance;
let server: Server;
let conn: Connection;

beforeAll(async () => {
  ovs = await startOvs({ dummy: true });
  const connected = new Promise<Socket>((resolve) => {
    server = createServer((s) => resolve(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  await ovs.addBridge('br0', { controllerPort: address.port, protocols: 'OpenFlow13' });
  await ovs.vsctl('add-port', 'br0', 'p1', '--', 'set', 'interface', 'p1', 'type=dummy', 'ofport_request=1');
  await ovs.vsctl('add-port', 'br0', 'p2', '--', 'set', 'interface', 'p2', 'type=dummy', 'ofport_request=2');
  conn = new Connection(await connected);
});

afterAll(async () => {
  conn?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const output = (port: number): Action => ({ type: 'output', port, maxLen: 0 });

function flowMod(xid: number, priority: number, actions: readonly Action[], cookie = 0n): FlowMod {
  return {
    type: 'flow_mod',
    xid,
    cookie,
    cookieMask: 0n,
    tableId: 0,
    command: 0,
    idleTimeout: 0,
    hardTimeout: 0,
    priority,
    bufferId: NO_BUFFER,
    outPort: Port.ANY,
    outGroup: 0xffffffff,
    flags: 0,
    match: { fields: [] },
    instructions: [{ type: 'apply_actions', actions }],
  };
}

describe('a live OpenFlow 1.3 switch', () => {
  it('handshakes: hello with version bitmap, features', async () => {
    conn.send(makeHello([4], conn.xid()));
    const hello = await conn.next((m) => m.type === 'hello');
    expect(hello.type === 'hello' && helloVersions(hello)).toContain(4);
    const xid = conn.xid();
    conn.send({ type: 'features_request', xid });
    const features = await conn.next((m) => m.type === 'features_reply');
    expect(features).toMatchObject({ type: 'features_reply', xid, nTables: 254 });
    const dpid = (await ovs.vsctl('get', 'bridge', 'br0', 'datapath-id')).trim().replace(/"/g, '');
    expect(features.type === 'features_reply' && features.datapathId).toBe(BigInt(`0x${dpid}`));
  });

  it('installs flows with flow-mods', async () => {
    conn.send(flowMod(conn.xid(), 10, [output(2)], 0x10n));
    conn.send(flowMod(conn.xid(), 11, [output(1), output(2)], 0x11n));
    await conn.barrier();
    const flows = await ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', 'br0');
    expect(flows).toMatch(/cookie=0x10,.*priority=10 actions=output:2/);
    expect(flows).toMatch(/cookie=0x11,.*priority=11 actions=output:1,output:2/);
  });

  it('installs a batch of flow-mods as one bundle (open, add × N, commit)', async () => {
    const bundleId = 77;
    const open = conn.xid();
    conn.send({
      type: 'bundle_open_request',
      xid: open,
      bundleId,
      flags: BundleFlags.ATOMIC,
      properties: [],
    });
    expect(await conn.next((m) => m.xid === open)).toMatchObject({ type: 'bundle_open_reply', bundleId });
    for (let i = 0; i < 20; i++) {
      conn.send(
        wrapInBundle(
          bundleId,
          BundleFlags.ATOMIC,
          flowMod(conn.xid(), 100 + i, [output(1)], 0xb00n + BigInt(i)),
        ),
      );
    }
    // Nothing of the bundle is visible before the commit.
    await conn.barrier();
    expect(await ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', 'br0')).not.toContain('cookie=0xb00');
    const commit = conn.xid();
    conn.send({
      type: 'bundle_commit_request',
      xid: commit,
      bundleId,
      flags: BundleFlags.ATOMIC,
      properties: [],
    });
    expect(await conn.next((m) => m.xid === commit)).toMatchObject({ type: 'bundle_commit_reply', bundleId });
    const flows = await ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', 'br0');
    for (let i = 0; i < 20; i++) {
      expect(flows).toContain(`cookie=0x${(0xb00 + i).toString(16)},`);
    }
    expect(flows.match(/cookie=0xb/g)).toHaveLength(20);
  });

  it('a discarded bundle installs nothing', async () => {
    const bundleId = 78;
    const open = conn.xid();
    conn.send({ type: 'bundle_open_request', xid: open, bundleId, flags: 0, properties: [] });
    await conn.next((m) => m.xid === open);
    conn.send(wrapInBundle(bundleId, 0, flowMod(conn.xid(), 500, [output(2)], 0xdead0n)));
    const discard = conn.xid();
    conn.send({ type: 'bundle_discard_request', xid: discard, bundleId, flags: 0, properties: [] });
    expect(await conn.next((m) => m.xid === discard)).toMatchObject({
      type: 'bundle_discard_reply',
      bundleId,
    });
    expect(await ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', 'br0')).not.toContain('0xdead0');
  });

  it('adds a select group and a flow using it', async () => {
    conn.send({
      type: 'group_mod',
      xid: conn.xid(),
      command: 0,
      groupType: 1,
      groupId: 5,
      buckets: [
        { weight: 10, watchPort: Port.ANY, watchGroup: 0xffffffff, actions: [output(1)] },
        { weight: 30, watchPort: Port.ANY, watchGroup: 0xffffffff, actions: [output(2)] },
      ],
    });
    conn.send(flowMod(conn.xid(), 20, [{ type: 'group', groupId: 5 }], 0x20n));
    await conn.barrier();
    const groups = await ovs.ofctl('-O', 'OpenFlow13', 'dump-groups', 'br0');
    expect(groups).toContain(
      'group_id=5,type=select,bucket=weight:10,actions=output:1,bucket=weight:30,actions=output:2',
    );
    expect(await ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', 'br0')).toMatch(/priority=20 actions=group:5/);
  });

  it('adds a meter with a drop band', async () => {
    conn.send({
      type: 'meter_mod',
      xid: conn.xid(),
      command: 0,
      flags: 1 | 4 | 8,
      meterId: 3,
      bands: [{ type: 'drop', rate: 1000, burstSize: 100 }],
    });
    await conn.barrier();
    expect(await ovs.ofctl('-O', 'OpenFlow13', 'dump-meters', 'br0')).toContain(
      'meter=3 kbps burst stats bands=\ntype=drop rate=1000 burst_size=100',
    );
    const stats = await conn.multipart({
      type: 'meter_config_request',
      xid: conn.xid(),
      flags: 0,
      meterId: 0xffffffff,
    });
    expect(stats[0]).toMatchObject({
      type: 'meter_config_reply',
      meters: [{ meterId: 3, bands: [{ type: 'drop', rate: 1000 }] }],
    });
  });

  it('reads back flows, groups, ports, tables with multipart requests', async () => {
    const flows = await conn.multipart({
      type: 'flow_stats_request',
      xid: conn.xid(),
      flags: 0,
      tableId: 0xff,
      outPort: Port.ANY,
      outGroup: 0xffffffff,
      cookie: 0x20n,
      cookieMask: (1n << 64n) - 1n,
      match: { fields: [] },
    });
    expect(flows).toHaveLength(1);
    const reply = flows[0]!;
    if (reply.type !== 'flow_stats_reply') throw new Error(reply.type);
    expect(reply.stats).toMatchObject([
      {
        priority: 20,
        cookie: 0x20n,
        instructions: [{ type: 'apply_actions', actions: [{ type: 'group', groupId: 5 }] }],
      },
    ]);
    const groups = await conn.multipart({ type: 'group_desc_request', xid: conn.xid(), flags: 0 });
    expect(groups[0]).toMatchObject({ type: 'group_desc_reply', groups: [{ groupId: 5, groupType: 1 }] });
    const ports = await conn.multipart({ type: 'port_desc_request', xid: conn.xid(), flags: 0 });
    const names = ports.flatMap((p) => (p.type === 'port_desc_reply' ? p.ports.map((x) => x.name) : []));
    expect(names.sort()).toEqual(['br0', 'p1', 'p2']);
    const agg = await conn.multipart({
      type: 'aggregate_stats_request',
      xid: conn.xid(),
      flags: 0,
      tableId: 0xff,
      outPort: Port.ANY,
      outGroup: 0xffffffff,
      cookie: 0n,
      cookieMask: 0n,
      match: { fields: [] },
    });
    expect(agg[0]).toMatchObject({ type: 'aggregate_stats_reply', flowCount: 23 });
    for (const type of [
      'desc_request',
      'table_stats_request',
      'group_features_request',
      'meter_features_request',
      'table_features_request',
    ] as const) {
      const replies = await conn.multipart(
        type === 'table_features_request'
          ? { type, xid: conn.xid(), flags: 0, tables: [] }
          : { type, xid: conn.xid(), flags: 0 },
      );
      expect(replies[0]!.type).toBe(type.replace('_request', '_reply'));
    }
    const portStats = await conn.multipart({
      type: 'port_stats_request',
      xid: conn.xid(),
      flags: 0,
      portNo: Port.ANY,
    });
    expect(portStats[0]!.type).toBe('port_stats_reply');
  });

  it('receives a packet-in and sends the packet out of another port', async () => {
    const frame = Buffer.from(`ffffffffffff0200000000010806${'00'.repeat(46)}`, 'hex');
    await ovs.ofctl('-O', 'OpenFlow13', 'add-flow', 'br0', 'priority=1000,in_port=1,actions=controller');
    await ovs.appctl('netdev-dummy/receive', 'p1', frame.toString('hex'));
    const pin = await conn.next((m) => m.type === 'packet_in');
    if (pin.type !== 'packet_in') throw new Error(pin.type);
    expect(pin).toMatchObject({ reason: 1, tableId: 0, bufferId: NO_BUFFER, totalLen: frame.length });
    expect(pin.data.toString('hex')).toBe(frame.toString('hex'));
    expect(pin.match.fields).toHaveLength(1); // in_port
    conn.send({
      type: 'packet_out',
      xid: conn.xid(),
      bufferId: NO_BUFFER,
      inPort: 1,
      actions: [output(2)],
      data: pin.data,
    });
    await conn.barrier();
    expect(await ovs.ofctl('-O', 'OpenFlow13', 'dump-ports', 'br0', '2')).toMatch(/tx pkts=1,/);
  });

  it('gets port-status when a port is added and flow-removed when a flow is deleted', async () => {
    await ovs.vsctl(
      'add-port',
      'br0',
      'p3',
      '--',
      'set',
      'interface',
      'p3',
      'type=dummy',
      'ofport_request=3',
    );
    const status = await conn.next((m) => m.type === 'port_status' && m.reason === 0 && m.desc.name === 'p3');
    expect(status).toMatchObject({ desc: { portNo: 3 } });
    conn.send({ ...flowMod(conn.xid(), 30, [output(1)], 0x77n), flags: 1 });
    await conn.barrier();
    await ovs.ofctl('-O', 'OpenFlow13', 'del-flows', 'br0', 'cookie=0x77/-1');
    const removed = await conn.next((m) => m.type === 'flow_removed');
    expect(removed).toMatchObject({ cookie: 0x77n, priority: 30, reason: 2, tableId: 0 });
  });

  it('every message OVS sent decodes and re-encodes to the same bytes', () => {
    expect(conn.raw.length).toBeGreaterThan(10);
    for (const bytes of conn.raw) {
      expect(encodeToBuffer(ofp13Message, decodeAll(ofp13Message, bytes)).toString('hex')).toBe(
        bytes.toString('hex'),
      );
    }
    // OVS reported no error for anything we sent.
    expect(conn.unclaimed().filter((m) => m.type === 'error' || m.type === 'error_experimenter')).toEqual([]);
  });
});
