/**
 * VLAN id and VNI ranges of a physical network (`vlanrange`, `vnirange`: lists of
 * [start, end] pairs that include both ends), and picking a free id for a logical network.
 */
import { ApiInputError } from '../runtime';

export type IdRange = readonly [number, number];

export interface IdSpace {
  /** What the ids are called in errors: `VLAN id`, `VNI`. */
  readonly what: string;
  readonly min: number;
  readonly max: number;
}

export const VLAN_IDS: IdSpace = { what: 'VLAN id', min: 1, max: 4094 };
export const VNIS: IdSpace = { what: 'VNI', min: 1, max: 16_777_215 };

/** Checks a range list: whole numbers inside the space, start <= end, no overlaps. */
export function checkRanges(ranges: unknown, space: IdSpace, parameter: string): IdRange[] {
  if (!Array.isArray(ranges) || ranges.length === 0) {
    throw new ApiInputError(`${parameter} must be a non-empty list of [start, end] pairs`, 400, parameter);
  }
  const out: IdRange[] = ranges.map((r, i) => {
    if (!Array.isArray(r) || r.length !== 2 || !r.every((x) => Number.isInteger(x))) {
      throw new ApiInputError(
        `${parameter}[${i}] must be a pair of whole numbers [start, end]`,
        400,
        parameter,
      );
    }
    const [a, b] = r as [number, number];
    if (a > b) throw new ApiInputError(`${parameter}[${i}]: start ${a} is after end ${b}`, 400, parameter);
    if (a < space.min || b > space.max) {
      throw new ApiInputError(
        `${parameter}[${i}]: ${space.what}s are ${space.min}-${space.max}, got ${a}-${b}`,
        400,
        parameter,
      );
    }
    return [a, b] as const;
  });
  const sorted = [...out].sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]![0] <= sorted[i - 1]![1]) {
      throw new ApiInputError(
        `${parameter}: ranges ${sorted[i - 1]!.join('-')} and ${sorted[i]!.join('-')} overlap`,
        400,
        parameter,
      );
    }
  }
  return out;
}

export function inRanges(id: number, ranges: readonly IdRange[]): boolean {
  return ranges.some(([a, b]) => id >= a && id <= b);
}

/**
 * The id a new logical network gets: `requested` if given (it must be in the ranges and
 * free), otherwise the lowest free id. `used` holds the ids of the physical network's
 * other logical networks.
 */
export function allocateId(
  ranges: readonly IdRange[],
  used: ReadonlySet<number>,
  space: IdSpace,
  requested?: number,
): number {
  if (requested !== undefined) {
    if (!inRanges(requested, ranges)) {
      throw new ApiInputError(`${space.what} ${requested} is outside the physical network's ranges`, 400);
    }
    if (used.has(requested)) throw new ApiInputError(`${space.what} ${requested} is already used`, 409);
    return requested;
  }
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    for (let id = a; id <= b; id++) if (!used.has(id)) return id;
  }
  throw new ApiInputError(`no free ${space.what} left in the physical network's ranges`, 409);
}
