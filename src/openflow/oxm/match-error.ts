/** A match that is well-formed on the wire but not as OpenFlow means it (a missing prerequisite, ...). */
export class MatchError extends Error {
  override readonly name = 'MatchError';
  constructor(
    /** The field at fault, by registry name. */
    readonly field: string,
    readonly detail: string,
  ) {
    super(`match field ${field}: ${detail}`);
  }
}
