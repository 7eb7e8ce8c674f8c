/**
 * A minimal OpenFlow 1.0 "switch" that ovs-ofctl can talk to (ovs-ofctl ... tcp:127.0.0.1:PORT):
 * it answers the handshake, echo, barrier, features, config, every stats request and queue
 * config with our own encoder, and records every message ovs-ofctl sends. That makes
 * ovs-ofctl an independent *encoder* for our decoder (and a decoder of our replies).
 */
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { decodeAll, encodeToBuffer } from '../../../../src/openflow/codec';
import type { MacAddress } from '../../../../src/openflow/packet';
import { NX_VENDOR_ID, Port } from '../../../../src/openflow/v10/constants';
import { type Ofp10Message, ofp10Message } from '../../../../src/openflow/v10/message';
import type { OfpPhyPort } from '../../../../src/openflow/v10/port';
import type { PacketQueue } from '../../../../src/openflow/v10/queue-config';
import type { FlowStats } from '../../../../src/openflow/v10/stats/flow';
import type { PortStats } from '../../../../src/openflow/v10/stats/port';

export interface FakeSwitchState {
  readonly datapathId: bigint;
  readonly ports: readonly OfpPhyPort[];
  /** What flow stats requests are answered with (whatever their match). */
  readonly flows: readonly FlowStats[];
  readonly portStats: readonly PortStats[];
  readonly queues: readonly PacketQueue[];
}

export interface FakeSwitch {
  readonly port: number;
  /** Every message received so far, in order, across connections. */
  readonly received: Buffer[];
  /** Every reply sent, in order. */
  readonly sent: Buffer[];
  /** Change what the switch reports. */
  state: FakeSwitchState;
  /** Switch config flags as the last set_config left them. */
  configFlags: number;
  close(): Promise<void>;
}

export function phyPort(portNo: number, name: string, hwAddr: string): OfpPhyPort {
  return {
    portNo,
    hwAddr: hwAddr as MacAddress,
    name,
    config: 0,
    state: 0,
    curr: 0x2a0,
    advertised: 0,
    supported: 0,
    peer: 0,
  };
}

export const DEFAULT_STATE: FakeSwitchState = {
  datapathId: 1n,
  ports: [phyPort(1, 'p1', '02:00:00:00:00:01'), phyPort(Port.LOCAL, 'br0', '02:00:00:00:00:fe')],
  flows: [],
  portStats: [],
  queues: [],
};

function answer(sw: FakeSwitch, m: Ofp10Message): Ofp10Message | undefined {
  const { xid } = m;
  const s = sw.state;
  switch (m.type) {
    case 'hello':
      return { type: 'hello', version: 1, xid, elements: [] };
    case 'echo_request':
      return { type: 'echo_reply', xid, data: m.data };
    case 'features_request':
      return {
        type: 'features_reply',
        xid,
        datapathId: s.datapathId,
        nBuffers: 0,
        nTables: 1,
        capabilities: 0xc7,
        actions: 0xfff,
        ports: s.ports,
      };
    case 'get_config_request':
      return { type: 'get_config_reply', xid, flags: sw.configFlags, missSendLen: 128 };
    case 'set_config':
      sw.configFlags = m.flags;
      return undefined;
    case 'barrier_request':
      return { type: 'barrier_reply', xid };
    case 'desc_stats_request':
      return {
        type: 'desc_stats_reply',
        xid,
        flags: 0,
        mfrDesc: 'vlcp-ts',
        hwDesc: 'fake switch',
        swDesc: 'test',
        serialNum: '1',
        dpDesc: 'fake',
      };
    case 'flow_stats_request':
      return { type: 'flow_stats_reply', xid, flags: 0, flows: s.flows };
    case 'aggregate_stats_request':
      return {
        type: 'aggregate_stats_reply',
        xid,
        flags: 0,
        packetCount: s.flows.reduce((n, f) => n + f.packetCount, 0n),
        byteCount: s.flows.reduce((n, f) => n + f.byteCount, 0n),
        flowCount: s.flows.length,
      };
    case 'table_stats_request':
      // ovs-ofctl asks for table stats before sending flow-mods.
      return {
        type: 'table_stats_reply',
        xid,
        flags: 0,
        tables: [
          {
            tableId: 0,
            name: 'classifier',
            wildcards: 0x3fffff,
            maxEntries: 1000000,
            activeCount: s.flows.length,
            lookupCount: 0n,
            matchedCount: 0n,
          },
        ],
      };
    case 'port_stats_request':
      return { type: 'port_stats_reply', xid, flags: 0, ports: s.portStats };
    case 'port_desc_stats_request':
      return { type: 'port_desc_stats_reply', xid, flags: 0, ports: s.ports };
    case 'vendor_stats_request': {
      // Nicira NXST_FLOW (0) answered with no flows, NXST_AGGREGATE (1) with zero counts.
      const subtype = m.data.length >= 4 ? m.data.readUInt32BE(0) : -1;
      if (m.vendor !== NX_VENDOR_ID || (subtype !== 0 && subtype !== 1)) return undefined;
      const data = Buffer.alloc(subtype === 0 ? 8 : 32);
      data.writeUInt32BE(subtype, 0);
      return { type: 'vendor_stats_reply', xid, flags: 0, vendor: m.vendor, data };
    }
    case 'queue_stats_request':
      return { type: 'queue_stats_reply', xid, flags: 0, queues: [] };
    case 'queue_get_config_request':
      return { type: 'queue_get_config_reply', xid, port: m.port, queues: s.queues };
    default:
      return undefined;
  }
}

export async function startFakeSwitch(state: FakeSwitchState = DEFAULT_STATE): Promise<FakeSwitch> {
  const received: Buffer[] = [];
  const sent: Buffer[] = [];
  const sockets = new Set<Socket>();
  let sw: FakeSwitch;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let pending = Buffer.alloc(0);
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8) {
        const length = pending.readUInt16BE(2);
        if (length < 8) return socket.destroy();
        if (pending.length < length) break;
        const m = Buffer.from(pending.subarray(0, length));
        pending = pending.subarray(length);
        received.push(m);
        let reply: Ofp10Message | undefined;
        try {
          reply = answer(sw, decodeAll(ofp10Message, m));
        } catch {
          // Left for the test to find: it decodes every received message itself.
        }
        if (reply) {
          const bytes = encodeToBuffer(ofp10Message, reply);
          sent.push(bytes);
          socket.write(bytes);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  sw = {
    port: address.port,
    received,
    sent,
    state,
    configFlags: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return sw;
}

/** Runs ovs-ofctl against the fake switch; resolves with its exit code and output. */
export function ofctl(sw: FakeSwitch, ...args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('ovs-ofctl', [
      '-O',
      'OpenFlow10',
      ...args.map((a) => (a === 'SWITCH' ? `tcp:127.0.0.1:${sw.port}` : a)),
    ]);
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), 10000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
