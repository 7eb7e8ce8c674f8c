/**
 * Memo of compiled flows per input object: a port whose data and network parameters did not
 * change keeps the very same Flow objects, so recompiling a network costs one lookup per
 * unchanged port and FlowSync's DesiredFlows sees identical flows (no diff work, no
 * flow-mod). Keyed by object identity: the local view replaces a port's object when the
 * port changes.
 */
import type { Flow, Flow13 } from '../flowsync';

export class CompileCache {
  private readonly memo = new WeakMap<
    object,
    { readonly sig: string; readonly flows: readonly Flow<Flow13>[] }
  >();
  /** Flow lists built (not found in the memo) since creation: tests read it. */
  misses = 0;

  get(input: object, sig: string, make: () => readonly Flow<Flow13>[]): readonly Flow<Flow13>[] {
    const hit = this.memo.get(input);
    if (hit !== undefined && hit.sig === sig) return hit.flows;
    const flows = make();
    this.misses++;
    this.memo.set(input, { sig, flows });
    return flows;
  }
}
