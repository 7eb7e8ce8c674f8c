/**
 * `whereIs` hands out the table's own list (no copy per call): a list once returned must
 * never change afterwards, whatever the table does next, and must be frozen.
 */
import fc from 'fast-check';
import { type OvsdbPort, OvsdbPortEvent } from '../../../../src/modules/ovsdb-manager';
import { BindingTable, type PortBinding } from '../../../../src/modules/port-binding';

function port(dp: bigint, no: number, lp: string): OvsdbPort {
  return {
    systemId: 'h1',
    bridge: `br${dp}`,
    datapathId: dp,
    portNo: no,
    name: `p${dp}-${no}`,
    mac: '02:00:00:00:00:01',
    type: 'dummy',
    externalIds: { 'iface-id': lp },
    options: {},
    interfaceUuid: `u${dp}-${no}`,
  };
}

test('property: a list whereIs returned stays as it was, while the table follows the changes', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.boolean(), fc.constantFrom(1n, 2n), fc.nat(3), fc.constantFrom('lpA', 'lpB')), {
        maxLength: 40,
      }),
      (steps) => {
        const t = new BindingTable();
        const present = new Map<string, OvsdbPort>();
        const handedOut: [readonly PortBinding[], string[]][] = [];
        const describe = (bs: readonly PortBinding[]) => bs.map((b) => `${b.datapathId}/${b.portNo}`).sort();
        for (const [add, dp, no, lp] of steps) {
          const k = `${dp}/${no}`;
          const old = present.get(k);
          if (add) {
            const p = port(dp, no, lp);
            t.apply([
              OvsdbPortEvent.create({
                change: old === undefined ? 'added' : 'updated',
                datapathId: dp,
                portNo: no,
                name: p.name,
                port: p,
                old,
              }),
            ]);
            present.set(k, p);
          } else if (old !== undefined) {
            t.apply([
              OvsdbPortEvent.create({
                change: 'removed',
                datapathId: dp,
                portNo: no,
                name: old.name,
                port: old,
                old: undefined,
              }),
            ]);
            present.delete(k);
          }
          for (const id of ['lpA', 'lpB']) {
            const now = t.whereIs(id);
            expect(Object.isFrozen(now)).toBe(true);
            expect(describe(now)).toEqual(
              [...present.entries()]
                .filter(([, p]) => p.externalIds['iface-id'] === id)
                .map(([x]) => x)
                .sort(),
            );
            handedOut.push([now, describe(now)]);
          }
          for (const [list, was] of handedOut) expect(describe(list)).toEqual(was);
        }
      },
    ),
  );
});
