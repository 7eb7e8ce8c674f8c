/**
 * The form a switch keeps a masked field in: value bits outside the mask cleared (OpenFlow
 * 1.3 rejects them with OFPBMC_BAD_WILDCARDS), an all-ones mask dropped, and a field whose
 * mask is all zeros dropped altogether.
 */
import { fieldByName } from './field-registry';
import type { OxmField } from './oxm-field';

const scratch = Buffer.alloc(64);

export function normalizeField(f: OxmField): OxmField | undefined {
  if (f.mask === undefined) return f;
  if (f.field === 'raw') {
    const value = Buffer.from(f.value);
    let ones = true;
    let zeros = true;
    f.mask.forEach((m, i) => {
      value[i]! &= m;
      if (m !== 0xff) ones = false;
      if (m !== 0) zeros = false;
    });
    if (zeros) return undefined;
    return { ...f, value, mask: ones ? undefined : f.mask };
  }
  const def = fieldByName(f.field);
  if (def === undefined) return f;
  const size = def.kind.size;
  if (!def.kind.write(scratch, 0, f.value) || !def.kind.write(scratch, size, f.mask)) return f;
  let ones = true;
  let zeros = true;
  for (let i = 0; i < size; i++) {
    const m = scratch[size + i]!;
    scratch[i]! &= m;
    if (m !== 0xff) ones = false;
    if (m !== 0) zeros = false;
  }
  if (zeros) return undefined;
  const value = def.kind.read(scratch, 0);
  return (ones ? { field: f.field, value } : { field: f.field, value, mask: f.mask }) as OxmField;
}

/** normalizeField over a list, dropping the fields that match everything. */
export function normalizeFields(fields: readonly OxmField[]): OxmField[] {
  const out: OxmField[] = [];
  for (const f of fields) {
    const n = normalizeField(f);
    if (n !== undefined) out.push(n);
  }
  return out;
}
