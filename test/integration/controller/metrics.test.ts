import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { builtinModules } from '../../../src/modules';
import { type FlowSyncApi, FlowSyncService, flow13, group13 } from '../../../src/modules/flowsync';
import { missFlows } from '../../../src/modules/pipeline';
import { defineModule, Runtime } from '../../../src/modules/runtime';
import { ObjectDbService } from '../../../src/modules/store/store-module';
import { PIPELINE } from '../../../src/modules/tables/pipeline';
import { planTables } from '../../../src/modules/tables/table-plan';
import { type ObjectDb, toKey } from '../../../src/objectdb';
import { buildMatch } from '../../../src/openflow/oxm';
import { toDatapathId } from '../../../src/openflow/protocol';
import { webApiModule } from '../../../src/webapi';
import { cleanupAll, freePort, type OvsInstance, startOvs, untilWithin } from '../../harness';

afterAll(cleanupAll);
const dir = mkdtempSync(join(tmpdir(), 'vlcp-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const until = untilWithin(60_000);

/** Every sample of the exposition text, by "name{labels}". */
function parseMetrics(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const sp = line.lastIndexOf(' ');
    m.set(line.slice(0, sp), Number(line.slice(sp + 1)));
  }
  return m;
}

describe('/metrics of the whole controller, scraped through the real server', () => {
  let ovs: OvsInstance;
  let runtime: Runtime;
  let sync: FlowSyncApi;
  let db: ObjectDb;
  let base: string;
  const scrape = async () => {
    const r = await fetch(`${base}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain');
    return parseMetrics(await r.text());
  };

  beforeAll(async () => {
    ovs = await startOvs({ dummy: true });
    const ofPort = await freePort();
    const webPort = await freePort();
    const probe = defineModule({
      name: 'probe',
      description: 'test: takes FlowSync and the store',
      depends: ['flowsync', 'store'],
      config: Type.Object({}, { additionalProperties: false }),
      create: (ctx) => ({
        start() {
          sync = ctx.service(FlowSyncService);
          db = ctx.service(ObjectDbService);
        },
      }),
    });
    runtime = new Runtime({
      modules: [...builtinModules, probe, webApiModule],
      config: {
        store: { url: `embedded:${join(dir, 'data')}` },
        openflowmanager: { listen: `127.0.0.1:${ofPort}` },
        ovsdbmanager: { ovsdb: [`unix:${ovs.dbSock}`] },
        webapi: { listen: `127.0.0.1:${webPort}` },
      },
    });
    await runtime.start();
    base = `http://127.0.0.1:${webPort}`;
    await ovs.addBridge('br0', { controllerPort: ofPort, protocols: 'OpenFlow13' });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('counts switches, flow-mods, group-mods, batches, resyncs, API calls, retries and the queue', async () => {
    const before = await scrape();
    expect(before.get('vlcp_openflow_switches_connected')).toBeDefined();
    const dpid = toDatapathId((await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id')).trim());
    await until(() => sync.status().find((s) => s.datapathId === dpid && s.connected), 'switch up');
    await sync.idle(dpid);
    const g = group13({
      id: 1,
      type: 'all',
      buckets: [{ actions: [{ type: 'output', port: 1, maxLen: 0 }] }],
    });
    sync.replaceGroups('test', dpid, [g]);
    sync.replace(
      'test',
      dpid,
      [1, 2, 3].map((p) =>
        flow13({
          table: 0,
          priority: 10,
          match: buildMatch({ in_port: p }),
          instructions: [{ type: 'apply_actions', actions: [{ type: 'group', groupId: g.id }] }],
        }),
      ),
    );
    await sync.idle(dpid);

    // Concurrent transactions on one key: all but the first commit run again.
    await Promise.all(
      Array.from({ length: 5 }, () =>
        db.transact(['metrics-test'], (v) => ({
          'metrics-test': ((v.get(toKey('metrics-test')) as number | null) ?? 0) + 1,
        })),
      ),
    );
    expect(db.retries).toBeGreaterThan(0);

    await fetch(`${base}/openflowmanager/listswitches`);
    await fetch(`${base}/openflowmanager/nosuch`);

    const after = await scrape();
    expect(after.get('vlcp_openflow_switches_connected')).toBe(1);
    // Our 3 flows, and the pipeline module's table-miss flows.
    expect(after.get('vlcp_flowsync_flow_mods_total')).toBe(3 + missFlows(planTables(PIPELINE)).length);
    expect(after.get('vlcp_flowsync_group_mods_total')).toBe(1);
    expect(after.get('vlcp_flowsync_batches_total')).toBeGreaterThanOrEqual(1);
    expect(after.get('vlcp_flowsync_resyncs_total')).toBe(1);
    expect(after.get('vlcp_flowsync_failures_total')).toBe(0);
    expect(after.get('vlcp_objectdb_transaction_retries_total')).toBe(db.retries);
    expect(after.get('vlcp_api_calls_total{module="openflowmanager",api="listswitches"}')).toBe(1);
    expect(after.get('vlcp_api_errors_total{module="openflowmanager",api="nosuch",kind="client"}')).toBe(1);
    expect(after.get('vlcp_event_queue_depth')).toBeGreaterThanOrEqual(0);

    // The switch leaves: the gauge follows.
    await ovs.vsctl('del-controller', 'br0');
    await until(
      async () => ((await scrape()).get('vlcp_openflow_switches_connected') === 0 ? true : undefined),
      'gauge 0',
    );
  });
});
