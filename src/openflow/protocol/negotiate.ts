/**
 * Version negotiation from the peer's hello (OpenFlow 1.3.1 section 6.3.1): the highest
 * version both sides offer. We always send a version bitmap; a peer's hello without one
 * offers every version up to its header version (as OVS reads it).
 */
import { type Hello, helloVersions } from '../hello';

export function negotiateVersion(ours: readonly number[], peer: Hello): number | undefined {
  const theirs = new Set(helloVersions(peer));
  let best: number | undefined;
  for (const v of ours) if (theirs.has(v) && (best === undefined || v > best)) best = v;
  return best;
}
