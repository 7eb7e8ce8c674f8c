/**
 * The ARP responder's engine on a real ObjectDB (embedded, viperflow API), with port
 * bindings fed by the test and FlowSync recorded: which owner is declared on which
 * datapath, and when.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ArpResponder,
  DEFAULT_GATEWAY_MAC,
  networkOwner,
  UPLINK_OWNER,
} from '../../../../src/modules/arp-responder';
import type { Flow, Flow13, FlowSyncApi } from '../../../../src/modules/flowsync';
import {
  type PortBinding,
  type PortBindingChange,
  PortBindingEvent,
  type PortBindings,
} from '../../../../src/modules/port-binding';
import { type DatapathId, toDatapathId } from '../../../../src/openflow/protocol';
import { startViperflow, type ViperflowEnv } from '../viperflow/env';
import { until } from './controller';

const DP1 = toDatapathId(1n);
const DP2 = toDatapathId(2n);

/** Bindings the test adds and removes. */
class TestBindings implements PortBindings {
  private readonly bound = new Map<string, PortBinding>();
  private listeners: ((c: readonly PortBindingChange[]) => void)[] = [];

  plug(datapathId: DatapathId, portNo: number, logicalPortId?: string): void {
    const b = Object.freeze({
      systemId: undefined,
      bridge: 'br0',
      datapathId,
      portNo,
      name: `p${portNo}`,
      mac: undefined,
      type: '',
      logicalPortId,
      physicalPortName: logicalPortId === undefined ? `p${portNo}` : undefined,
      tunnel: undefined,
      externalIds: {},
    });
    this.bound.set(`${datapathId}/${portNo}`, b);
    this.emit('added', b);
  }

  unplug(datapathId: DatapathId, portNo: number): void {
    const b = this.bound.get(`${datapathId}/${portNo}`)!;
    this.bound.delete(`${datapathId}/${portNo}`);
    this.emit('removed', b);
  }

  private emit(change: 'added' | 'removed', b: PortBinding): void {
    const c = PortBindingEvent.create({
      change,
      logicalPortId: b.logicalPortId,
      datapathId: b.datapathId,
      portNo: b.portNo,
      binding: b,
      old: undefined,
    });
    for (const l of this.listeners) l([c]);
  }

  list(filter: { datapathId?: bigint } = {}): readonly PortBinding[] {
    return [...this.bound.values()].filter(
      (b) => filter.datapathId === undefined || b.datapathId === filter.datapathId,
    );
  }
  subscribe(listener: (changes: readonly PortBindingChange[]) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }
  byPort(): PortBinding | undefined {
    throw new Error('not used');
  }
  byName(): PortBinding | undefined {
    throw new Error('not used');
  }
  whereIs(): readonly PortBinding[] {
    throw new Error('not used');
  }
  observe(): never {
    throw new Error('not used');
  }
  waitForLogicalPort(): never {
    throw new Error('not used');
  }
}

/** Every replace call, and the last flows declared per "owner@dpid". */
class RecordingSync implements FlowSyncApi {
  readonly calls: string[] = [];
  readonly current = new Map<string, Flow<Flow13>[]>();
  replace(owner: string, dpid: DatapathId, flows: Iterable<Flow<Flow13>>): void {
    const list = [...flows];
    this.calls.push(`${owner}@${dpid}:${list.length}`);
    this.current.set(`${owner}@${dpid}`, list);
  }
  update(): void {
    throw new Error('not used');
  }
  replaceGroups(): void {
    throw new Error('not used');
  }
  idle(): Promise<void> {
    return Promise.resolve();
  }
  status() {
    return [];
  }
  count(owner: string, dpid: DatapathId): number | undefined {
    return this.current.get(`${owner}@${dpid}`)?.length;
  }
}

describe('ArpResponder engine', () => {
  let env: ViperflowEnv;
  let bindings: TestBindings;
  let sync: RecordingSync;
  let responder: ArpResponder;
  const nwid: Record<string, number> = {};
  const owner = (n: string) => networkOwner(nwid[n]!);

  beforeAll(async () => {
    env = await startViperflow(`embedded:${join(mkdtempSync(join(tmpdir(), 'arp-engine-')), 'store')}`);
    await env.call('createphysicalnetwork', { id: 'pn', type: 'vxlan', vnirange: [[1, 100]] });
    for (const n of ['n1', 'n2']) {
      const [net] = (await env.call('createlogicalnetwork', { id: n, physicalnetwork: 'pn' })) as {
        nwid: number;
      }[];
      nwid[n] = net!.nwid;
    }
    await env.call('createsubnet', {
      id: 's1',
      logicalnetwork: 'n1',
      cidr: '10.1.0.0/24',
      gateway: '10.1.0.1',
    });
    await env.call('createsubnet', {
      id: 's2',
      logicalnetwork: 'n2',
      cidr: '10.2.0.0/24',
      gateway: '10.2.0.1',
    });
    await env.call('createlogicalports', {
      ports: [
        { id: 'a', logicalnetwork: 'n1', subnet: 's1' },
        { id: 'b', logicalnetwork: 'n1', subnet: 's1' },
        { id: 'c', logicalnetwork: 'n2', subnet: 's2' },
      ],
    });
    bindings = new TestBindings();
    sync = new RecordingSync();
    bindings.plug(DP1, 9); // a physical port, there before the start
    responder = new ArpResponder({
      db: env.db,
      bindings,
      sync,
      tables: { table: 2 },
      gatewayMac: DEFAULT_GATEWAY_MAC,
      logger: { error: jest.fn(), warn: jest.fn(), debug: jest.fn() } as never,
    });
    responder.start();
  });

  afterAll(async () => {
    responder?.stop();
    await env?.stop();
  });

  it('declares the uplink ports of a datapath at start', () => {
    expect(sync.count(UPLINK_OWNER, DP1)).toBe(1);
  });

  it('declares a network on a datapath with its first bound port, and withdraws it with its last', async () => {
    bindings.plug(DP1, 1, 'a');
    // a, b and the gateway answered; a and b also get own-address passes.
    await until(() => sync.count(owner('n1'), DP1) === 5, 'n1 on dp1');
    expect(responder.watchedNetworks).toBe(1);
    const before = sync.calls.length;
    bindings.plug(DP1, 2, 'b');
    // Until b's network is read, a's leaving would take n1 away (and b would bring it back).
    await until(() => responder.resolvedPorts === 2, "b's network known");
    bindings.unplug(DP1, 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(sync.calls.slice(before)).toEqual([]); // still relevant: nothing to redeclare
    bindings.unplug(DP1, 2);
    expect(sync.count(owner('n1'), DP1)).toBe(0);
    expect(responder.watchedNetworks).toBe(0);
  });

  it('redeclares only the changed network, on the datapaths where it is relevant', async () => {
    bindings.plug(DP1, 1, 'a');
    bindings.plug(DP2, 3, 'c');
    await until(() => sync.count(owner('n1'), DP1) === 5 && sync.count(owner('n2'), DP2) === 3, 'n1 and n2');
    expect(sync.count(owner('n2'), DP1)).toBeUndefined();
    const before = sync.calls.length;
    await env.call('createlogicalport', { id: 'd', logicalnetwork: 'n2', subnet: 's2' });
    await until(() => sync.count(owner('n2'), DP2) === 5, 'd in n2');
    expect(sync.calls.slice(before)).toEqual([`${owner('n2')}@${DP2}:5`]);
    bindings.unplug(DP1, 1);
    bindings.unplug(DP2, 3);
  });

  it('follows a port plugged in before the API call creates it', async () => {
    bindings.plug(DP2, 4, 'e');
    await new Promise((r) => setTimeout(r, 100));
    expect(responder.watchedNetworks).toBe(0);
    await env.call('createlogicalport', { id: 'e', logicalnetwork: 'n1', subnet: 's1' });
    await until(() => (sync.count(owner('n1'), DP2) ?? 0) === 7, 'n1 on dp2 (a, b, e + gateway)');
    await env.call('deletelogicalport', { id: 'e' });
    await until(() => sync.count(owner('n1'), DP2) === 0, 'n1 withdrawn from dp2 once e is gone');
    bindings.unplug(DP2, 4);
  });

  it('recomputes the uplinks of a datapath when a non-logical port comes or goes', () => {
    bindings.plug(DP2, 7);
    expect(sync.count(UPLINK_OWNER, DP2)).toBe(1);
    bindings.unplug(DP2, 7);
    expect(sync.count(UPLINK_OWNER, DP2)).toBe(0);
  });
});
