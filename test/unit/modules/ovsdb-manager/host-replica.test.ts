/**
 * HostReplica against a model of the Open_vSwitch database: random transactions (bridges,
 * ports moving between bridges, ofports assigned late or failing, iface-ids, system-id,
 * the host going away and back), their row changes delivered in any order within a batch.
 * After every batch, what a listener rebuilt from the events alone must equal what the
 * model says is up, and no event may be a no-op (adding what is there, removing what is
 * not, an update that changes nothing).
 */
import fc from 'fast-check';
import type { OvsdbChange, OvsdbPort } from '../../../../src/modules/ovsdb-manager';
import { HostReplica } from '../../../../src/modules/ovsdb-manager';
import {
  type Datum,
  datumToWire,
  type Row,
  type RowChange,
  stringifyJson,
  uuid,
} from '../../../../src/ovsdb';

interface ModelIface {
  name: string;
  ofport: number | undefined;
  ifaceId: string | undefined;
  mac: string | undefined;
  knownMac: string | undefined;
}
interface ModelDb {
  systemId: string | undefined;
  /** `known`: the last datapath id the bridge had (datapath_id is ephemeral: empty keeps it). */
  bridges: Map<
    string,
    { name: string; dpid: string | undefined; known: string | undefined; ports: string[] }
  >;
  ports: Map<string, { name: string; interfaces: string[] }>;
  ifaces: Map<string, ModelIface>;
}

type Op =
  | { kind: 'addBridge'; dpid: number | undefined }
  | { kind: 'setDpid'; bridge: number; dpid: number | undefined }
  | { kind: 'delBridge'; bridge: number }
  | {
      kind: 'addPort';
      bridge: number;
      ifaces: number;
      ofport: number | undefined;
      ifaceId: number | undefined;
    }
  | { kind: 'delPort'; port: number }
  | { kind: 'movePort'; port: number; bridge: number }
  | { kind: 'setOfport'; iface: number; ofport: number | undefined }
  | { kind: 'setIfaceId'; iface: number; ifaceId: number | undefined }
  | { kind: 'setMac'; iface: number; mac: number | undefined }
  | { kind: 'setSystemId'; id: number | undefined }
  | { kind: 'silence' }
  | { kind: 'refresh' };

const idx = fc.nat(20);
const ofportArb = fc.option(fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(-1)), { nil: undefined });
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
const lp = fc.option(fc.nat(3), { nil: undefined });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  w(
    3,
    fc.record({ kind: fc.constant('addBridge' as const), dpid: fc.option(fc.nat(3), { nil: undefined }) }),
  ),
  w(
    1,
    fc.record({
      kind: fc.constant('setDpid' as const),
      bridge: idx,
      dpid: fc.option(fc.nat(3), { nil: undefined }),
    }),
  ),
  w(1, fc.record({ kind: fc.constant('delBridge' as const), bridge: idx })),
  w(
    8,
    fc.record({
      kind: fc.constant('addPort' as const),
      bridge: idx,
      ifaces: fc.integer({ min: 1, max: 2 }),
      ofport: ofportArb,
      ifaceId: lp,
    }),
  ),
  w(2, fc.record({ kind: fc.constant('delPort' as const), port: idx })),
  w(2, fc.record({ kind: fc.constant('movePort' as const), port: idx, bridge: idx })),
  w(4, fc.record({ kind: fc.constant('setOfport' as const), iface: idx, ofport: ofportArb })),
  w(3, fc.record({ kind: fc.constant('setIfaceId' as const), iface: idx, ifaceId: lp })),
  w(
    2,
    fc.record({
      kind: fc.constant('setMac' as const),
      iface: idx,
      mac: fc.option(fc.nat(2), { nil: undefined }),
    }),
  ),
  w(
    1,
    fc.record({ kind: fc.constant('setSystemId' as const), id: fc.option(fc.nat(2), { nil: undefined }) }),
  ),
  w(1, fc.constant({ kind: 'silence' as const })),
  w(1, fc.constant({ kind: 'refresh' as const })),
);

let seq = 0;
const newUuid = (t: string) => `${t}-${++seq}`;
const nth = <T>(m: Map<string, T>, i: number): string | undefined => [...m.keys()][i % Math.max(1, m.size)];
const dpidText = (n: number) => (n + 1).toString(16).padStart(16, '0');

function applyOp(db: ModelDb, op: Op): void {
  switch (op.kind) {
    case 'addBridge': {
      const dpid = op.dpid === undefined ? undefined : dpidText(op.dpid + seq * 10);
      db.bridges.set(newUuid('br'), { name: `br${seq}`, dpid, known: undefined, ports: [] });
      return;
    }
    case 'setDpid': {
      const b = nth(db.bridges, op.bridge);
      if (!b) return;
      // A bridge may get a new datapath id (other_config:datapath-id), possibly one another
      // bridge has (a misconfiguration), or read empty (an ovsdb-server restart: the column is ephemeral).
      const br = db.bridges.get(b)!;
      br.dpid = op.dpid === undefined ? undefined : dpidText(++seq * 10 + op.dpid);
      return;
    }
    case 'delBridge': {
      const b = nth(db.bridges, op.bridge);
      if (!b) return;
      for (const p of db.bridges.get(b)!.ports) {
        for (const i of db.ports.get(p)!.interfaces) db.ifaces.delete(i);
        db.ports.delete(p);
      }
      db.bridges.delete(b);
      return;
    }
    case 'addPort': {
      const b = nth(db.bridges, op.bridge);
      if (!b) return;
      const p = newUuid('port');
      const ifaces: string[] = [];
      for (let k = 0; k < op.ifaces; k++) {
        const i = newUuid('iface');
        ifaces.push(i);
        db.ifaces.set(i, {
          name: `if${seq}`,
          ofport: op.ofport === undefined || op.ofport < 0 ? op.ofport : seq,
          ifaceId: op.ifaceId === undefined ? undefined : `lp${op.ifaceId}`,
          mac: `02:00:00:00:00:0${k}`,
          knownMac: undefined,
        });
      }
      db.ports.set(p, { name: `p${seq}`, interfaces: ifaces });
      db.bridges.get(b)!.ports.push(p);
      return;
    }
    case 'delPort':
    case 'movePort': {
      const p = nth(db.ports, op.port);
      if (!p) return;
      const owner = [...db.bridges.values()].find((b) => b.ports.includes(p))!;
      owner.ports = owner.ports.filter((x) => x !== p);
      if (op.kind === 'movePort') {
        const b = nth(db.bridges, op.bridge)!;
        db.bridges.get(b)!.ports.push(p);
      } else {
        for (const i of db.ports.get(p)!.interfaces) db.ifaces.delete(i);
        db.ports.delete(p);
      }
      return;
    }
    case 'setOfport': {
      const i = nth(db.ifaces, op.iface);
      if (i)
        db.ifaces.get(i)!.ofport = op.ofport === undefined || op.ofport < 0 ? op.ofport : op.ofport + 100;
      return;
    }
    case 'setIfaceId': {
      const i = nth(db.ifaces, op.iface);
      if (i) db.ifaces.get(i)!.ifaceId = op.ifaceId === undefined ? undefined : `lp${op.ifaceId}`;
      return;
    }
    case 'setMac': {
      const i = nth(db.ifaces, op.iface);
      if (!i) return;
      const f = db.ifaces.get(i)!;
      f.mac = op.mac === undefined ? undefined : `02:00:00:00:01:0${op.mac}`;
      return;
    }
    case 'setSystemId':
      db.systemId = op.id === undefined ? undefined : `host${op.id}`;
      return;
    default:
      return;
  }
}

type Tables = Map<string, Map<string, Row>>;

function rowsOf(db: ModelDb): Tables {
  const map = (o: Record<string, string | undefined>): ReadonlyMap<string, string> =>
    new Map(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));
  const t: Tables = new Map([
    ['Open_vSwitch', new Map([['ovs', { external_ids: map({ 'system-id': db.systemId }) }]])],
    ['Bridge', new Map()],
    ['Port', new Map()],
    ['Interface', new Map()],
  ]);
  for (const [u, b] of db.bridges)
    t.get('Bridge')!.set(u, {
      name: b.name,
      datapath_id: b.dpid === undefined ? [] : [b.dpid],
      ports: b.ports.map(uuid),
    });
  for (const [u, p] of db.ports) t.get('Port')!.set(u, { name: p.name, interfaces: p.interfaces.map(uuid) });
  for (const [u, i] of db.ifaces) {
    t.get('Interface')!.set(u, {
      name: i.name,
      ofport: i.ofport === undefined ? [] : [i.ofport],
      type: 'dummy',
      mac_in_use: i.mac === undefined ? [] : [i.mac],
      external_ids: map({ 'iface-id': i.ifaceId, 'attached-mac': i.mac }),
      options: new Map(),
    });
  }
  return t;
}

const same = (a: Datum | undefined, b: Datum | undefined) =>
  a !== undefined && b !== undefined && stringifyJson(datumToWire(a)) === stringifyJson(datumToWire(b));

/** The row changes from `before` to `after`, unchanged columns keeping their objects (as the IDL does). */
function diff(before: Tables, after: Tables): { changes: RowChange[]; rows: Tables } {
  const changes: RowChange[] = [];
  const rows: Tables = new Map();
  for (const [table, now] of after) {
    const was = before.get(table) ?? new Map<string, Row>();
    const kept = new Map<string, Row>();
    rows.set(table, kept);
    for (const [u, row] of now) {
      const old = was.get(u);
      if (old === undefined) {
        kept.set(u, row);
        changes.push({ db: 'Open_vSwitch', table, uuid: u, change: 'insert', row, old: undefined });
        continue;
      }
      const merged: Record<string, Datum> = {};
      let changed = false;
      for (const [c, v] of Object.entries(row)) {
        if (same(old[c], v)) merged[c] = old[c]!;
        else {
          merged[c] = v;
          changed = true;
        }
      }
      kept.set(u, changed ? merged : old);
      if (changed) changes.push({ db: 'Open_vSwitch', table, uuid: u, change: 'update', row: merged, old });
    }
    for (const [u, old] of was)
      if (!now.has(u))
        changes.push({ db: 'Open_vSwitch', table, uuid: u, change: 'delete', row: undefined, old });
  }
  return { changes, rows };
}

/** What a listener holds, rebuilt from events only; throws on an event that is a no-op. */
class Listener {
  readonly bridges = new Map<string, { datapathId: bigint; systemId: string | undefined }>();
  readonly ports = new Map<string, OvsdbPort>();
  apply(changes: readonly OvsdbChange[]): void {
    for (const c of changes) {
      if (c.type === 'ovsdbmanager.bridge') {
        if (c.state === 'up') {
          expect(this.bridges.has(c.bridge.uuid)).toBe(false);
          this.bridges.set(c.bridge.uuid, { datapathId: c.datapathId, systemId: c.systemId });
        } else {
          expect(this.bridges.get(c.bridge.uuid)?.datapathId).toBe(c.datapathId);
          // Its ports went first. (By name too: two bridges may share a datapath id, wrongly.)
          expect(
            [...this.ports.values()].some((p) => p.datapathId === c.datapathId && p.bridge === c.bridge.name),
          ).toBe(false);
          this.bridges.delete(c.bridge.uuid);
        }
        events++;
        continue;
      }
      const key = c.port.interfaceUuid;
      if (c.change === 'added') {
        expect(this.ports.has(key)).toBe(false);
        expect([...this.bridges.values()].some((b) => b.datapathId === c.datapathId)).toBe(true);
        this.ports.set(key, c.port);
      } else if (c.change === 'removed') {
        expect(this.ports.get(key)).toEqual(c.port);
        this.ports.delete(key);
      } else {
        expect(this.ports.get(key)).toEqual(c.old);
        expect(c.port).not.toEqual(c.old);
        this.ports.set(key, c.port);
      }
      events++;
    }
  }
}

let events = 0;

function expected(db: ModelDb, silenced: boolean) {
  const ports = new Map<
    string,
    {
      portNo: number;
      datapathId: bigint;
      name: string;
      ifaceId: string | undefined;
      mac: string | undefined;
      systemId: string | undefined;
    }
  >();
  if (silenced) return ports;
  for (const b of db.bridges.values()) {
    if (b.known === undefined) continue;
    for (const p of b.ports)
      for (const i of db.ports.get(p)!.interfaces) {
        const f = db.ifaces.get(i)!;
        if (f.ofport !== undefined && f.ofport >= 1)
          ports.set(i, {
            portNo: f.ofport,
            datapathId: BigInt(`0x${b.known}`),
            name: f.name,
            ifaceId: f.ifaceId,
            mac: f.knownMac,
            systemId: db.systemId,
          });
      }
  }
  return ports;
}

describe('HostReplica', () => {
  it('reports what the database says, whatever the transactions and the order of rows in a batch', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(opArb, { minLength: 1, maxLength: 4 }), fc.infiniteStream(fc.nat())), {
          minLength: 5,
          maxLength: 30,
        }),
        (txns) => {
          const db: ModelDb = { systemId: 'host0', bridges: new Map(), ports: new Map(), ifaces: new Map() };
          const replica = new HostReplica('test');
          const listener = new Listener();
          let rows: Tables = new Map();
          let silenced = false;
          for (const [ops, random] of txns) {
            for (const op of ops) {
              if (op.kind === 'silence') {
                listener.apply(replica.silence());
                silenced = true;
              } else if (op.kind === 'refresh') {
                listener.apply(replica.refresh());
                silenced = false;
              } else applyOp(db, op);
            }
            // What the replica can have seen of the ephemeral columns: their last value in an update.
            for (const b of db.bridges.values()) b.known = b.dpid ?? b.known;
            for (const f of db.ifaces.values()) f.knownMac = f.mac ?? f.knownMac;
            const d = diff(rows, rowsOf(db));
            rows = d.rows;
            // Any order within one update.
            const r = random[Symbol.iterator]();
            const shuffled = d.changes
              .map((c) => ({ c, k: r.next().value as number }))
              .sort((a, b) => a.k - b.k)
              .map((x) => x.c);
            listener.apply(replica.apply(shuffled));
            const want = expected(db, silenced);
            expect(
              new Map(
                [...listener.ports].map(([k, p]) => [
                  k,
                  {
                    portNo: p.portNo,
                    datapathId: p.datapathId,
                    name: p.name,
                    ifaceId: p.externalIds['iface-id'],
                    mac: p.mac,
                    systemId: p.systemId,
                  },
                ]),
              ),
            ).toEqual(want);
            const up = new Map(
              silenced
                ? []
                : [...db.bridges]
                    .filter(([, b]) => b.known !== undefined)
                    .map(([u, b]) => [u, { datapathId: BigInt(`0x${b.known}`), systemId: db.systemId }]),
            );
            expect(listener.bridges).toEqual(up);
            expect(new Set([...replica.bridges()].map((b) => b.uuid))).toEqual(new Set(up.keys()));
          }
        },
      ),
      { numRuns: 300 },
    );
    // Not vacuous: the runs did report bridges and ports.
    expect(events).toBeGreaterThan(1000);
  });
});
