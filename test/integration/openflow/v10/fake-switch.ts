/**
 * A minimal OpenFlow 1.0 "switch" that ovs-ofctl can talk to (ovs-ofctl ... tcp:127.0.0.1:PORT):
 * it answers the handshake, echo, barrier, features, config, every stats request and queue
 * config with our own encoder, and records every message ovs-ofctl sends. That makes
 * ovs-ofctl an independent *encoder* for our decoder (and a decoder of our replies).
 */
import { decodeAll, encodeToBuffer } from '../../../../src/openflow/codec';
import type { MacAddress } from '../../../../src/openflow/packet';
import { NX_VENDOR_ID, Port } from '../../../../src/openflow/v10/constants';
import { type Ofp10Message, ofp10Message } from '../../../../src/openflow/v10/message';
import type { OfpPhyPort } from '../../../../src/openflow/v10/port';
import type { PacketQueue } from '../../../../src/openflow/v10/queue-config';
import type { FlowStats } from '../../../../src/openflow/v10/stats/flow';
import type { PortStats } from '../../../../src/openflow/v10/stats/port';
import { type FakeSwitchServer, startFakeSwitchServer } from '../fake-switch-server';
import { ofctlAgainst, type RunResult } from '../ovs-ofctl';

export interface FakeSwitchState {
  readonly datapathId: bigint;
  readonly ports: readonly OfpPhyPort[];
  /** What flow stats requests are answered with (whatever their match). */
  readonly flows: readonly FlowStats[];
  readonly portStats: readonly PortStats[];
  readonly queues: readonly PacketQueue[];
}

/** What a test may change while the switch runs. */
interface SwitchSettings {
  /** Change what the switch reports. */
  state: FakeSwitchState;
  /** Switch config flags as the last set_config left them. */
  configFlags: number;
}

export type FakeSwitch = FakeSwitchServer & SwitchSettings;

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

function answer(sw: SwitchSettings, m: Ofp10Message): Ofp10Message | undefined {
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
  const settings: SwitchSettings = { state, configFlags: 0 };
  const server = await startFakeSwitchServer((bytes) => {
    let reply: Ofp10Message | undefined;
    try {
      reply = answer(settings, decodeAll(ofp10Message, bytes));
    } catch {
      // Left for the test to find: it decodes every received message itself.
    }
    return reply && encodeToBuffer(ofp10Message, reply);
  });
  return Object.assign(settings, server);
}

/** Runs ovs-ofctl against the fake switch; resolves with its exit code and output. */
export function ofctl(sw: FakeSwitch, ...args: string[]): Promise<RunResult> {
  return ofctlAgainst('OpenFlow10', sw.port, args);
}
