/**
 * Reading router links out of watch snapshots: which routers a network's subnets are
 * attached to, and which networks a router links; half-written or malformed objects skipped.
 */
import fc from 'fast-check';
import { networksOfRouter, routersOfNetwork } from '../../../../src/modules/l2/router-links';
import { type JsonValue, type Key, toKey } from '../../../../src/objectdb';

const ref = (k: string) => ({ $ref: k });
const snap = (o: Record<string, JsonValue | null>) =>
  new Map<Key, JsonValue | null>(Object.entries(o).map(([k, v]) => [toKey(k), v]));

describe('router links', () => {
  it('routersOfNetwork follows subnet.router -> interface.router', () => {
    const s = snap({
      'viperflow.logicalnetworkmap.na': {
        id: 'na',
        subnets: [ref('viperflow.subnet.s1'), ref('viperflow.subnet.s2')],
      },
      'viperflow.subnet.s1': { id: 's1', router: ref('vrouterapi.routerport.if1') },
      'viperflow.subnet.s2': { id: 's2', router: ref('vrouterapi.routerport.if2') },
      'viperflow.subnet.s3': { id: 's3' },
      'vrouterapi.routerport.if1': { id: 'if1', router: ref('vrouterapi.virtualrouter.r2') },
      'vrouterapi.routerport.if2': { id: 'if2', router: ref('vrouterapi.virtualrouter.r1') },
    });
    expect(routersOfNetwork(s)).toEqual(['r1', 'r2']);
    // The interface not written (yet): no router.
    s.delete(toKey('vrouterapi.routerport.if1'));
    expect(routersOfNetwork(s)).toEqual(['r1']);
  });

  it('networksOfRouter follows map.interfaces -> interface.subnet -> subnet.network', () => {
    const s = snap({
      'vrouterapi.virtualroutermap.r1': {
        id: 'r1',
        interfaces: [
          ref('vrouterapi.routerport.if1'),
          ref('vrouterapi.routerport.if2'),
          ref('vrouterapi.routerport.gone'),
        ],
      },
      'vrouterapi.routerport.if1': { id: 'if1', subnet: ref('viperflow.subnet.s1') },
      'vrouterapi.routerport.if2': { id: 'if2', subnet: ref('viperflow.subnet.s2') },
      'viperflow.subnet.s1': { id: 's1', network: ref('viperflow.logicalnetwork.na') },
      'viperflow.subnet.s2': { id: 's2', network: ref('viperflow.logicalnetwork.n%2Eb') },
    });
    expect([...networksOfRouter('r1', s)].sort()).toEqual(['n.b', 'na']);
    expect(networksOfRouter('r2', s).size).toBe(0);
  });

  it('never throws on any JSON values', () => {
    const keys = [
      'vrouterapi.virtualroutermap.r1',
      'vrouterapi.routerport.if1',
      'viperflow.subnet.s1',
      'viperflow.logicalnetworkmap.na',
    ];
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 4, maxLength: 4 }), (vals) => {
        const s = snap(Object.fromEntries(keys.map((k, i) => [k, (vals[i] ?? null) as JsonValue])));
        expect(() => routersOfNetwork(s)).not.toThrow();
        expect(() => networksOfRouter('r1', s)).not.toThrow();
      }),
    );
  });
});
