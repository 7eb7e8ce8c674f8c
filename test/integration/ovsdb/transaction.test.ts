import {
  Idl,
  IdlTransactionConflictError,
  isUuid,
  OPEN_VSWITCH_TABLES,
  OvsdbClient,
  transactIdl,
} from '../../../src/ovsdb';
import { cleanupAll, type OvsInstance, startOvs } from '../../harness';
import { until } from './until';

let ovs: OvsInstance;
let client: OvsdbClient;
let other: OvsdbClient;
let idl: Idl;
beforeAll(async () => {
  ovs = await startOvs({ dummy: true });
  await ovs.addBridge('br0');
  client = await OvsdbClient.connect(`unix:${ovs.dbSock}`);
  other = await OvsdbClient.connect(`unix:${ovs.dbSock}`);
  idl = new Idl(client, 'Open_vSwitch', OPEN_VSWITCH_TABLES);
  await idl.start();
});
afterAll(async () => {
  client.close();
  other.close();
  await cleanupAll();
});

const br0 = () => [...idl.rows('Bridge')].find(([, r]) => r.name === 'br0')![0];

function externalIds(
  extra: Record<string, string>,
  row: { external_ids?: unknown } | undefined,
): Map<string, string> {
  const m = new Map<string, string>(
    row?.external_ids instanceof Map ? (row.external_ids as Map<string, string>) : [],
  );
  for (const [k, v] of Object.entries(extra)) m.set(k, v);
  return m;
}

describe('IDL transactions with optimistic checks', () => {
  it('commits what the updater builds', async () => {
    await transactIdl(idl, (txn) => {
      const row = txn.read('Bridge', br0(), ['external_ids']);
      txn.update('Bridge', br0(), { external_ids: externalIds({ owner: 'vlcp' }, row) });
    });
    expect((await ovs.vsctl('get', 'bridge', 'br0', 'external_ids:owner')).trim()).toBe('vlcp');
  });

  it('retries with fresh values when another writer changed what it read, losing neither write', async () => {
    const attempts: number[] = [];
    await transactIdl(idl, async (txn, attempt) => {
      attempts.push(attempt);
      const row = txn.read('Bridge', br0(), ['external_ids']);
      if (attempt === 1) {
        // Someone else changes the row after we read it and before we commit.
        await other.transact('Open_vSwitch', [
          {
            op: 'mutate',
            table: 'Bridge',
            where: [['name', '==', 'br0']],
            mutations: [['external_ids', 'insert', ['map', [['rival', 'yes']]]]],
          },
        ]);
      }
      txn.update('Bridge', br0(), { external_ids: externalIds({ mine: 'yes' }, row) });
    });
    expect(attempts).toEqual([1, 2]);
    const ids = await ovs.vsctl('get', 'bridge', 'br0', 'external_ids');
    expect(ids).toContain('rival=yes');
    expect(ids).toContain('mine=yes');
  });

  it('gives up with a clear error when every attempt conflicts, and writes nothing', async () => {
    let n = 0;
    const err = await transactIdl(
      idl,
      async (txn) => {
        const row = txn.read('Bridge', br0(), ['external_ids']);
        await other.transact('Open_vSwitch', [
          {
            op: 'mutate',
            table: 'Bridge',
            where: [['name', '==', 'br0']],
            mutations: [['external_ids', 'insert', ['map', [[`r${n++}`, 'x']]]]],
          },
        ]);
        txn.update('Bridge', br0(), { external_ids: externalIds({ loser: 'yes' }, row) });
      },
      { attempts: 3 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdlTransactionConflictError);
    expect((err as Error).message).toMatch(/after 3 attempts/);
    expect(await ovs.vsctl('get', 'bridge', 'br0', 'external_ids')).not.toContain('loser');
  });

  it('adds and removes a bridge, ports and interfaces that ovs-vsctl show then lists', async () => {
    const root = [...idl.rows('Open_vSwitch').keys()][0]!;
    await transactIdl(
      idl,
      (txn) => {
        const ports = ['vbr', 'vp1', 'vp2'].map((name) => {
          const iface = txn.insert('Interface', { name, type: 'internal' });
          return txn.insert('Port', { name, interfaces: [iface] });
        });
        const br = txn.insert('Bridge', { name: 'vbr', ports, datapath_type: 'dummy' });
        txn.mutate('Open_vSwitch', root, [['bridges', 'insert', [br]]]);
      },
      { comment: 'vlcp-ts test: add vbr' },
    );
    expect(showTree(await ovs.vsctl('show')).get('vbr')).toEqual(
      new Map([
        ['vbr', ['vbr']],
        ['vp1', ['vp1']],
        ['vp2', ['vp2']],
      ]),
    );

    // Remove one port (its interface goes with it: nothing else refers to it).
    const rowNamed = (table: string, name: string) =>
      [...idl.rows(table)].find(([, r]) => r.name === name)?.[0];
    await until(() => rowNamed('Port', 'vp2') !== undefined, 'the replica to hold vp2');
    await transactIdl(idl, (txn) => {
      const br = rowNamed('Bridge', 'vbr')!;
      txn.read('Bridge', br, ['ports']);
      txn.mutate('Bridge', br, [['ports', 'delete', [{ uuid: rowNamed('Port', 'vp2')! }]]]);
    });
    expect(showTree(await ovs.vsctl('show')).get('vbr')).toEqual(
      new Map([
        ['vbr', ['vbr']],
        ['vp1', ['vp1']],
      ]),
    );
    expect((await ovs.vsctl('--columns=name', 'find', 'Interface', 'name=vp2')).trim()).toBe('');

    // And the whole bridge.
    await transactIdl(idl, (txn) => {
      const bridgesNow = txn.read('Open_vSwitch', root, ['bridges'])!.bridges as readonly unknown[];
      const br = rowNamed('Bridge', 'vbr')!;
      expect(bridgesNow.some((b) => isUuid(b) && b.uuid === br)).toBe(true);
      txn.mutate('Open_vSwitch', root, [['bridges', 'delete', [{ uuid: br }]]]);
    });
    expect(showTree(await ovs.vsctl('show')).has('vbr')).toBe(false);
    await until(() => rowNamed('Bridge', 'vbr') === undefined, 'the replica to drop vbr');
  });
});

/** `ovs-vsctl show` as bridge -> port -> interfaces. */
function showTree(show: string): Map<string, Map<string, string[]>> {
  const tree = new Map<string, Map<string, string[]>>();
  let bridge: Map<string, string[]> | undefined;
  let port: string[] | undefined;
  for (const line of show.split('\n')) {
    const m = /^\s+(Bridge|Port|Interface) "?([^"]+)"?$/.exec(line);
    if (!m) continue;
    if (m[1] === 'Bridge') {
      bridge = new Map();
      tree.set(m[2]!, bridge);
    } else if (m[1] === 'Port' && bridge) {
      port = [];
      bridge.set(m[2]!, port);
    } else if (m[1] === 'Interface' && port) port.push(m[2]!);
  }
  return tree;
}
