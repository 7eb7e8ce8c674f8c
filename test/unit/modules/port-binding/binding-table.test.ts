/**
 * BindingTable against a model: random port changes as the OVSDB manager reports them
 * (added / updated / removed per datapath and port number); the table's indexes must agree
 * with the model after every change, and its own events must rebuild it exactly.
 */
import fc from 'fast-check';
import { type OvsdbChange, type OvsdbPort, OvsdbPortEvent } from '../../../../src/modules/ovsdb-manager';
import {
  BindingTable,
  bindingFromPort,
  LOCAL_PORT,
  type PortBinding,
  type PortBindingChange,
} from '../../../../src/modules/port-binding';

function port(dp: bigint, no: number, fields: Partial<OvsdbPort> = {}): OvsdbPort {
  return {
    systemId: 'h1',
    bridge: `br${dp}`,
    datapathId: dp,
    portNo: no,
    name: `p${dp}-${no}`,
    mac: '02:00:00:00:00:01',
    type: 'dummy',
    externalIds: {},
    options: {},
    interfaceUuid: `u${dp}-${no}`,
    ...fields,
  };
}

const ev = (change: 'added' | 'updated' | 'removed', p: OvsdbPort, old?: OvsdbPort): OvsdbChange =>
  OvsdbPortEvent.create({ change, datapathId: p.datapathId, portNo: p.portNo, name: p.name, port: p, old });

describe('bindingFromPort', () => {
  it('reads the logical port, the physical port name and tunnel options', () => {
    expect(
      bindingFromPort(port(1n, 3, { externalIds: { 'iface-id': 'lp1', 'attached-mac': 'x' } })),
    ).toMatchObject({
      logicalPortId: 'lp1',
      physicalPortName: undefined,
      tunnel: undefined,
    });
    expect(bindingFromPort(port(1n, 4, { name: 'eth0', type: '' }))).toMatchObject({
      logicalPortId: undefined,
      physicalPortName: 'eth0',
    });
    expect(
      bindingFromPort(port(1n, LOCAL_PORT, { name: 'br0', type: 'internal' })).physicalPortName,
    ).toBeUndefined();
    const vx = bindingFromPort(
      port(1n, 5, {
        name: 'vxlan0',
        type: 'vxlan',
        options: { remote_ip: 'flow', local_ip: '172.31.9.1', key: 'flow', dst_port: '4789' },
      }),
    );
    expect(vx.tunnel).toEqual({
      type: 'vxlan',
      remoteIp: 'flow',
      localIp: '172.31.9.1',
      key: 'flow',
      dstPort: '4789',
      options: { remote_ip: 'flow', local_ip: '172.31.9.1', key: 'flow', dst_port: '4789' },
    });
    expect(
      bindingFromPort(port(1n, 6, { type: 'geneve', options: { remote_ip: '10.0.0.2' } })).tunnel?.remoteIp,
    ).toBe('10.0.0.2');
  });
});

describe('BindingTable', () => {
  it('an iface-id change is the old logical port removed and the new one added; a MAC change an update', () => {
    const t = new BindingTable();
    const a = port(1n, 1, { externalIds: { 'iface-id': 'lp1' } });
    expect(t.apply([ev('added', a)]).map((c) => [c.change, c.logicalPortId])).toEqual([['added', 'lp1']]);
    const b = { ...a, externalIds: { 'iface-id': 'lp2' } };
    expect(t.apply([ev('updated', b, a)]).map((c) => [c.change, c.logicalPortId])).toEqual([
      ['removed', 'lp1'],
      ['added', 'lp2'],
    ]);
    expect(t.whereIs('lp1')).toEqual([]);
    expect(t.whereIs('lp2').map((x) => [x.datapathId, x.portNo])).toEqual([[1n, 1]]);
    const c = { ...b, mac: '02:00:00:00:00:99' };
    const out = t.apply([ev('updated', c, b)]);
    expect(out.map((x) => [x.change, x.logicalPortId, x.old?.mac, x.binding.mac])).toEqual([
      ['updated', 'lp2', '02:00:00:00:00:01', '02:00:00:00:00:99'],
    ]);
    // An update that changes nothing a binding shows is not reported.
    expect(t.apply([ev('updated', { ...c, interfaceUuid: 'same-port-other-row' }, c)])).toEqual([]);
    expect(t.apply([ev('removed', c)]).map((x) => x.change)).toEqual(['removed']);
    expect(t.size).toBe(0);
  });

  it('agrees with a model after any sequence of port changes, and its events rebuild it', () => {
    const key = (dp: bigint, no: number) => `${dp}/${no}`;
    const step = fc.record({
      dp: fc.constantFrom(1n, 2n, 0xffffffffffffffffn),
      no: fc.integer({ min: 1, max: 8 }),
      lp: fc.option(fc.constantFrom('lpA', 'lpB', 'lpC'), { nil: undefined }),
      mac: fc.constantFrom('02:00:00:00:00:01', '02:00:00:00:00:02'),
      remove: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const t = new BindingTable();
        const model = new Map<string, OvsdbPort>();
        const rebuilt = new Map<string, PortBinding>();
        const replay = (changes: readonly PortBindingChange[]) => {
          for (const c of changes) {
            const k = key(c.datapathId, c.portNo);
            if (c.change === 'added') expect(rebuilt.has(k)).toBe(false);
            else expect(rebuilt.get(k)).toBe(c.change === 'updated' ? c.old : c.binding);
            if (c.change === 'removed') rebuilt.delete(k);
            else rebuilt.set(k, c.binding);
          }
        };
        for (const s of steps) {
          const k = key(s.dp, s.no);
          const old = model.get(k);
          if (s.remove) {
            if (old === undefined) continue;
            model.delete(k);
            replay(t.apply([ev('removed', old)]));
          } else {
            const p = port(s.dp, s.no, { mac: s.mac, externalIds: s.lp ? { 'iface-id': s.lp } : {} });
            model.set(k, p);
            replay(t.apply([old === undefined ? ev('added', p) : ev('updated', p, old)]));
          }
          expect(t.size).toBe(model.size);
          expect(new Map([...rebuilt].map(([k2, b]) => [k2, b]))).toEqual(
            new Map([...model].map(([k2, p]) => [k2, bindingFromPort(p)])),
          );
          for (const lp of ['lpA', 'lpB', 'lpC']) {
            const where = (bs: readonly PortBinding[]) => bs.map((b) => key(b.datapathId, b.portNo)).sort();
            expect(where(t.whereIs(lp))).toEqual(
              where([...model.values()].filter((p) => p.externalIds['iface-id'] === lp).map(bindingFromPort)),
            );
            expect(where(t.list({ logicalPortId: lp, datapathId: 1n }))).toEqual(
              where(t.whereIs(lp).filter((b) => b.datapathId === 1n)),
            );
          }
          for (const [k2, p] of model) {
            expect(t.byPort(p.datapathId, p.portNo)).toEqual(rebuilt.get(k2));
            expect(t.byName(p.datapathId, p.name)?.portNo).toBe(p.portNo);
          }
          expect(t.list({ datapathId: 2n }).length).toBe(
            [...model.values()].filter((p) => p.datapathId === 2n).length,
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});
