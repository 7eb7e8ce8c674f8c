/**
 * matchKey(): one string per distinct match, so FlowSync can compare the flows it wants with
 * the flows a switch reports. Equal for equal matches whatever the field order, the header
 * a field came through (eth_dst / NXM_OF_ETH_DST), or how a mask is spelled: a value's bits
 * outside its mask are dropped, an all-ones mask is an exact match and an all-zeros mask
 * no match at all, as the switch itself treats them.
 */
import { fieldByName } from './field-registry';
import type { Match } from './match';
import type { OxmField } from './oxm-field';

const scratch = Buffer.alloc(64);

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex(b: Uint8Array, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) out += HEX[b[i]!];
  return out;
}

/** The canonical text of one field, or undefined when its mask makes it match everything. */
export function fieldKey(f: OxmField): string | undefined {
  let name: string;
  let size: number;
  let hasMask: boolean;
  if (f.field === 'raw') {
    name = `raw:${f.oxmClass}:${f.oxmField}${f.experimenter === undefined ? '' : `:${f.experimenter}`}`;
    size = f.value.length;
    hasMask = f.mask !== undefined;
    scratch.set(f.value, 0);
    if (f.mask) scratch.set(f.mask, size);
  } else {
    const def = fieldByName(f.field);
    if (def === undefined) throw new TypeError(`unknown OXM field ${JSON.stringify(f.field)}`);
    name = def.key;
    size = def.kind.size;
    hasMask = f.mask !== undefined;
    if (!def.kind.write(scratch, 0, f.value) || (hasMask && !def.kind.write(scratch, size, f.mask))) {
      throw new TypeError(`OXM field ${f.field}: bad value or mask`);
    }
  }
  if (!hasMask) return `${name}=${hex(scratch, 0, size)}`;
  let ones = true;
  let zeros = true;
  for (let i = 0; i < size; i++) {
    const m = scratch[size + i]!;
    scratch[i]! &= m;
    if (m !== 0xff) ones = false;
    if (m !== 0) zeros = false;
  }
  if (zeros) return undefined;
  if (ones) return `${name}=${hex(scratch, 0, size)}`;
  return `${name}=${hex(scratch, 0, size)}/${hex(scratch, size, 2 * size)}`;
}

/** Canonical text of a match: its fields' keys, sorted, comma-separated. */
export function matchKey(match: Match | readonly OxmField[]): string {
  const fields = 'fields' in match ? match.fields : match;
  const keys: string[] = [];
  for (const f of fields) {
    const k = fieldKey(f);
    if (k !== undefined) keys.push(k);
  }
  return keys.sort().join(',');
}
