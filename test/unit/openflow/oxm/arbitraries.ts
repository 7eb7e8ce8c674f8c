/** fast-check arbitraries for OXM fields: any registry field with a value of its kind, raw fields. */
import fc from 'fast-check';
import { ALL_FIELDS, type FieldDef, type OxmField, type ValueKind } from '../../../../src/openflow/oxm';
import { ipv4, ipv6, mac } from '../packet/arbitraries';
import { u32, u64 } from '../wire-arbitraries';

export function valueArb(kind: ValueKind<unknown>): fc.Arbitrary<unknown> {
  switch (kind.id) {
    case 'uint':
      return fc.integer({ min: 0, max: 2 ** (8 * kind.size) - 1 });
    case 'u64':
      return u64;
    case 'u128':
      return fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
    case 'mac':
      return mac;
    case 'ipv4':
      return ipv4;
    case 'ipv6':
      return ipv6;
  }
}

export function fieldArb(def: FieldDef): fc.Arbitrary<OxmField> {
  const v = valueArb(def.kind);
  return def.maskable
    ? fc
        .tuple(v, fc.option(v, { nil: undefined }))
        .map(([value, mask]) =>
          mask === undefined
            ? ({ field: def.name, value } as OxmField)
            : ({ field: def.name, value, mask } as OxmField),
        )
    : v.map((value) => ({ field: def.name, value }) as OxmField);
}

const rawArb: fc.Arbitrary<OxmField> = fc
  .record({
    oxmClass: fc.constantFrom(0x0002, 0x0003, 0x8000, 0xffff),
    oxmField: fc.integer({ min: 100, max: 127 }),
    experimenter: u32,
    value: fc.uint8Array({ minLength: 1, maxLength: 16 }).map((b) => Buffer.from(b)),
    masked: fc.boolean(),
  })
  .map(
    ({ oxmClass, oxmField, experimenter, value, masked }): OxmField => ({
      field: 'raw',
      oxmClass,
      oxmField,
      ...(oxmClass === 0xffff ? { experimenter } : {}),
      value,
      ...(masked ? { mask: Buffer.from(value.map((x) => x ^ 0x5a)) } : {}),
    }),
  );

/** Any field, known or raw. */
export const anyField: fc.Arbitrary<OxmField> = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom(...ALL_FIELDS).chain(fieldArb) },
  { weight: 1, arbitrary: rawArb },
);
