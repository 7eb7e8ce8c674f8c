/** Errors of the OpenFlow 1.0 layer that are not decode errors (those come from the codec). */
export class OpenFlow10Error extends Error {
  override readonly name = 'OpenFlow10Error';
  constructor(
    /** The struct being built or read, e.g. "ofp_match". */
    readonly struct: string,
    readonly detail: string,
    readonly offset: number,
  ) {
    super(`OpenFlow 1.0 ${struct}: ${detail}${offset ? ` (at byte ${offset})` : ''}`);
  }
}
