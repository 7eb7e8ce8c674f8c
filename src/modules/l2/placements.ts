/**
 * Where logical networks are needed, memoised for one pass over a view that does not change
 * meanwhile (one L2Flows flush). A network linked by a router to N others needs its own
 * local datapaths and theirs; a flush of all N networks would otherwise look up every port
 * binding of every network N times over (quadratic in the networks on a router).
 */

/** What a view answers about one network (LocalView). */
export interface PlacementSource {
  /** The datapaths where the network has bound logical ports. */
  localDatapathsOf(networkId: string): Set<bigint>;
  /** Networks linked to this one by a watched router. */
  peersOf(networkId: string): Set<string>;
}

export class Placements {
  private readonly local = new Map<string, ReadonlySet<bigint>>();
  private readonly peers = new Map<string, ReadonlySet<string>>();

  constructor(private readonly source: PlacementSource) {}

  localDatapathsOf(networkId: string): ReadonlySet<bigint> {
    let s = this.local.get(networkId);
    if (s === undefined) {
      s = this.source.localDatapathsOf(networkId);
      this.local.set(networkId, s);
    }
    return s;
  }

  peersOf(networkId: string): ReadonlySet<string> {
    let s = this.peers.get(networkId);
    if (s === undefined) {
      s = this.source.peersOf(networkId);
      this.peers.set(networkId, s);
    }
    return s;
  }

  /**
   * The datapaths that need the network's flows: where it has bound logical ports, and where
   * a network a router links it to has some (traffic routed there is delivered in this one).
   */
  datapathsOf(networkId: string): Set<bigint> {
    const out = new Set(this.localDatapathsOf(networkId));
    for (const peer of this.peersOf(networkId)) for (const d of this.localDatapathsOf(peer)) out.add(d);
    return out;
  }
}
