/**
 * Placements (one flush's memo of where networks are needed) against the definition: a
 * network's datapaths are its own local ones plus its router peers' local ones; each
 * question reaches the view at most once per network.
 */
import fc from 'fast-check';
import { Placements } from '../../../../src/modules/l2/placements';

test('property: datapathsOf is the union of the local datapaths of the network and its peers, each asked once', () => {
  const N = 8;
  fc.assert(
    fc.property(
      fc.array(fc.uniqueArray(fc.bigInt({ min: 1n, max: 4n }), { maxLength: 3 }), {
        minLength: N,
        maxLength: N,
      }),
      fc.array(fc.uniqueArray(fc.nat(N - 1), { maxLength: 5 }), { maxLength: 3 }),
      fc.array(fc.nat(N - 1), { maxLength: 20 }),
      (local, routers, questions) => {
        const id = (i: number) => `n${i}`;
        const asked = { local: new Map<string, number>(), peers: new Map<string, number>() };
        const count = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
        const peersOf = (i: number) => {
          const out = new Set<string>();
          for (const r of routers) if (r.includes(i)) for (const j of r) if (j !== i) out.add(id(j));
          return out;
        };
        const p = new Placements({
          localDatapathsOf: (n) => {
            count(asked.local, n);
            return new Set(local[Number(n.slice(1))]);
          },
          peersOf: (n) => {
            count(asked.peers, n);
            return peersOf(Number(n.slice(1)));
          },
        });
        for (const q of questions) {
          const expected = new Set(local[q]);
          for (const peer of peersOf(q)) for (const d of local[Number(peer.slice(1))]!) expected.add(d);
          expect(p.datapathsOf(id(q))).toEqual(expected);
        }
        for (const n of [...asked.local.values(), ...asked.peers.values()]) expect(n).toBe(1);
      },
    ),
  );
});
