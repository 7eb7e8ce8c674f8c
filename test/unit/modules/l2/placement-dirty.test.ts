/**
 * L2Flows with a scripted view and a recording FlowSync: a network marked only because where
 * it is needed changed (a router link) is compiled for the datapaths it gains, withdrawn from
 * those it loses, and left alone where it already was — and what ends up declared is the same
 * as after a full recompile (every network marked as changed).
 */
import fc from 'fast-check';
import type { Flow, Flow13, FlowSyncApi } from '../../../../src/modules/flowsync';
import { L2Flows, type L2FlowsView, type L2Tables, type NetworkView } from '../../../../src/modules/l2';
import { Placements } from '../../../../src/modules/l2/placements';
import { PIPELINE } from '../../../../src/modules/tables/pipeline';
import { planTables } from '../../../../src/modules/tables/table-plan';
import type { MacAddress } from '../../../../src/openflow/packet/mac-address';

const plan = planTables(PIPELINE);
const tables: L2Tables = {
  ingress: plan.number('ingress'),
  portsecurity: plan.number('portsecurity'),
  arp: plan.number('arp'),
  l2output: plan.number('l2output'),
};

const N = 4;
const DATAPATHS = [1n, 2n, 3n];

/** Networks n0..n3; `local[i]`: datapaths where network i has its one port; `routers`: linked sets. */
interface World {
  local: bigint[][];
  routers: number[][];
}

function scripted(world: World): L2FlowsView {
  const idx = (id: string) => Number(id.slice(1));
  return {
    localDatapathsOf: (id) => new Set(world.local[idx(id)]),
    peersOf: (id) => {
      const out = new Set<string>();
      for (const r of world.routers)
        if (r.includes(idx(id))) for (const j of r) if (j !== idx(id)) out.add(`n${j}`);
      return out;
    },
    nwidOf: (id) => idx(id) + 1,
    view: (id, dp): NetworkView => {
      const i = idx(id);
      const here = world.local[i]!.includes(dp);
      const port = { id: `${id}p`, mac: `02:00:00:00:00:0${i + 1}` as MacAddress };
      return {
        id,
        nwid: i + 1,
        type: 'vlan',
        vlanid: 100 + i,
        localPorts: new Map(here ? [[port.id, { ...port, portNo: 10 + i }]] : []),
        remotePorts: new Map(here ? [] : [[port.id, port]]),
      };
    },
    release: () => undefined,
  };
}

function recordingSync(): { api: FlowSyncApi; declared: Map<string, number> } {
  const declared = new Map<string, number>();
  const api = {
    replace: (owner: string, dp: bigint, flows: Iterable<Flow<Flow13>>) => {
      const n = [...flows].length;
      if (n === 0) declared.delete(`${owner}@${dp}`);
      else declared.set(`${owner}@${dp}`, n);
    },
  } as unknown as FlowSyncApi;
  return { api, declared };
}

const arbWorld = fc.record({
  local: fc.array(fc.subarray(DATAPATHS), { minLength: N, maxLength: N }),
  routers: fc.array(fc.uniqueArray(fc.nat(N - 1), { minLength: 2, maxLength: N }), { maxLength: 2 }),
});

test('property: placement-only marks declare what a full recompile declares, compiling only new datapaths', () => {
  fc.assert(
    fc.property(arbWorld, arbWorld, (before, after) => {
      // Ports stay where they are; only router links change (what a placement mark is for).
      after.local = before.local;
      const run = (placementOnly: boolean) => {
        const world: World = { local: before.local, routers: before.routers };
        const { api, declared } = recordingSync();
        const f = new L2Flows(api, tables);
        f.view = scripted(world);
        for (let i = 0; i < N; i++) f.markDirty(`n${i}`);
        f.flush();
        const compiles = f.statistics.compiles;
        world.routers = after.routers;
        for (let i = 0; i < N; i++) f.markDirty(`n${i}`, placementOnly);
        f.flush();
        f.stop();
        return { declared, compiled: f.statistics.compiles - compiles };
      };
      const full = run(false);
      const placed = run(true);
      expect(new Map(placed.declared)).toEqual(new Map(full.declared));
      // Only the (network, datapath) pairs that were not needed before were compiled again.
      const pairs = (w: World) => {
        const p = new Placements(scripted(w));
        return new Set(
          Array.from({ length: N }, (_, i) => [...p.datapathsOf(`n${i}`)].map((d) => `n${i}@${d}`)).flat(),
        );
      };
      const was = pairs(before);
      const fresh = [...pairs({ local: before.local, routers: after.routers })].filter((k) => !was.has(k));
      expect(placed.compiled).toBe(fresh.length);
    }),
  );
});

test('a content mark recompiles where a placement mark alone would not', () => {
  const world: World = { local: [[1n], [2n], [], []], routers: [[0, 1]] };
  const { api } = recordingSync();
  const f = new L2Flows(api, tables);
  f.view = scripted(world);
  f.markDirty('n0');
  f.markDirty('n1');
  f.flush();
  const c0 = f.statistics.compiles;
  expect(c0).toBe(4); // each network on both datapaths
  f.markDirty('n0', true);
  f.flush();
  expect(f.statistics.compiles).toBe(c0);
  f.markDirty('n0', true);
  f.markDirty('n0');
  f.flush();
  expect(f.statistics.compiles).toBe(c0 + 2);
  f.stop();
});
