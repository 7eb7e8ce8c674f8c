import {
  Idl,
  IdlTransactionConflictError,
  OPEN_VSWITCH_TABLES,
  OvsdbClient,
  transactIdl,
} from '../../../src/ovsdb';
import { cleanupAll, type OvsInstance, startOvs } from '../../harness';

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
});
