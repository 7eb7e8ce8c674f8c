import fc from 'fast-check';
import {
  Cursor,
  constant,
  DecodeError,
  decodeAll,
  EncodeError,
  encodeToBuffer,
  fixedString,
  length,
  list,
  mac,
  pad,
  restBytes,
  sizeOf,
  struct,
  toJson,
  u8,
  u16,
  u32,
  u64,
  union,
} from '../../../../src/openflow/codec';

const output = struct(
  'ofp_action_output',
  { type: constant(u16, 0), len: length(u16, { align: 8 }), port: u32, maxLen: u16, pad: pad(6) },
  { tag: 'output' },
);
const setDlDst = struct(
  'ofp_action_dl_addr',
  { type: constant(u16, 5), len: length(u16, { align: 8 }), addr: mac, pad: pad(6) },
  { tag: 'set_dl_dst' },
);
const note = struct(
  'nx_action_note',
  {
    type: constant(u16, 0xffff),
    len: length(u16, { align: 8 }),
    vendor: constant(u32, 0x2320),
    subtype: constant(u16, 8),
    note: restBytes,
  },
  { tag: 'nx_note' },
);
const nx = union('nx_action', [note], { at: 8, width: 2 });
const experimenter = union('ofp_action_experimenter', [nx], { at: 4, width: 4 });
const action = union('ofp_action', [output, setDlDst, experimenter], { at: 0, width: 2 });

const packetOut = struct(
  'ofp_packet_out',
  {
    version: constant(u8, 4),
    msgType: constant(u8, 13),
    length: length(u16),
    xid: u32,
    bufferId: u32,
    inPort: u32,
    actionsLen: sizeOf(u16, 'actions'),
    pad: pad(6),
    actions: list(action),
    data: restBytes,
  },
  { tag: 'packet_out' },
);

const match = struct('ofp_match', {
  type: constant(u16, 1),
  length: length(u16, { align: 8, includePadding: false }),
  fields: restBytes,
});

describe('struct codec', () => {
  it('infers the value type and round-trips a message with nested lists', () => {
    const msg = {
      type: 'packet_out' as const,
      xid: 7,
      bufferId: 0xffffffff,
      inPort: 0xfffffffd,
      actions: [
        { type: 'set_dl_dst' as const, addr: '02:00:00:00:00:01' as never },
        { type: 'output' as const, port: 3, maxLen: 0 },
        { type: 'nx_note' as const, note: Buffer.from('0102030405060000000000000000', 'hex') },
      ],
      data: Buffer.from('abcdef', 'hex'),
    };
    const bytes = encodeToBuffer(packetOut, msg);
    expect(bytes.readUInt16BE(2)).toBe(bytes.length);
    expect(bytes.readUInt16BE(16)).toBe(16 + 16 + 24); // the note pads 18 bytes to 24
    expect(bytes.length).toBe(24 + 56 + 3);
    const back = decodeAll(packetOut, bytes);
    expect(toJson(back)).toEqual(toJson(msg));
    expect(encodeToBuffer(packetOut, back)).toEqual(bytes);
  });

  it('pads to the alignment without counting it when told so', () => {
    const bytes = encodeToBuffer(match, { fields: Buffer.from('8000000400000001', 'hex').subarray(0, 8) });
    expect(bytes.toString('hex')).toBe('0001000c8000000400000001' + '00000000');
    const cur = new Cursor(Buffer.concat([bytes, Buffer.from('ff', 'hex')]));
    expect(match.decode(cur, cur.buf.length).fields.length).toBe(8);
    expect(cur.pos).toBe(16);
  });

  it('names struct, offset and reason on bad bytes', () => {
    const good = encodeToBuffer(output, { type: 'output', port: 1, maxLen: 2 });
    expect(() => decodeAll(output, good.subarray(0, 10))).toThrow(
      new DecodeError('ofp_action_output', 'truncated: need 16 bytes, have 10', 0),
    );
    const long = Buffer.from(good);
    long.writeUInt16BE(24, 2);
    expect(() => decodeAll(output, long)).toThrow(/length 24 runs past the end \(16 bytes left\)/);
    const odd = Buffer.from(good);
    odd.writeUInt16BE(20, 2);
    expect(() => decodeAll(output, odd)).toThrow(/length 20 is not a multiple of 8/);
    const zero = Buffer.from(good);
    zero.writeUInt16BE(0, 2);
    expect(() => decodeAll(action, zero)).toThrow(/length 0 is less than the minimum 16/);
    const unknown = Buffer.from(good);
    unknown.writeUInt16BE(99, 0);
    expect(() => decodeAll(action, unknown)).toThrow(new DecodeError('ofp_action', 'unknown type 99', 0));
  });

  it('names struct and field on bad values', () => {
    expect(() => encodeToBuffer(output, { type: 'output', port: -1, maxLen: 0 })).toThrow(
      new EncodeError('ofp_action_output', 'port', 'expected an integer 0..4294967295, got -1'),
    );
    expect(() => encodeToBuffer(action, { type: 'nope' } as never)).toThrow(/unknown type "nope"/);
    expect(() => encodeToBuffer(setDlDst, { type: 'set_dl_dst', addr: 'xx' as never })).toThrow(
      /ofp_action_dl_addr.addr: expected a MAC address/,
    );
  });

  it('accepts the JSON form (decimal strings for 64-bit, hex for bytes)', () => {
    const s = struct('t', { cookie: u64, name: fixedString(8), data: restBytes });
    const v = { cookie: 18446744073709551615n, name: 'br0', data: Buffer.from([1, 2]) };
    const bytes = encodeToBuffer(s, v);
    expect(encodeToBuffer(s, toJson(v) as never)).toEqual(bytes);
    expect(decodeAll(s, bytes)).toEqual(v);
    expect(() => encodeToBuffer(s, { ...v, name: 'too-long!' })).toThrow(/t.name/);
  });

  it('round-trips random actions and never throws anything but DecodeError on random bytes', () => {
    const actionArb = fc.oneof(
      fc.record({ type: fc.constant('output' as const), port: fc.nat(0xffffffff), maxLen: fc.nat(0xffff) }),
      fc.record({
        type: fc.constant('nx_note' as const),
        note: fc.uint8Array({ maxLength: 40 }).map((a) => {
          const b = Buffer.alloc(a.length + ((16 - ((10 + a.length) % 8)) % 8));
          b.set(a);
          return b;
        }),
      }),
    );
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 6 }), (actions) => {
        const l = list(action);
        const bytes = encodeToBuffer(l, actions);
        expect(encodeToBuffer(l, decodeAll(l, bytes))).toEqual(bytes);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (a) => {
        try {
          decodeAll(list(action), Buffer.from(a));
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
    );
  });
});

describe('padding counted in the length', () => {
  const setField = struct(
    'ofp_action_set_field',
    { type: constant(u16, 25), len: length(u16, { align: 8 }), field: struct('f', { h: u32, v: u16 }) },
    { tag: 'set_field' },
  );
  it('skips the padding after the last field and writes it back as zeros', () => {
    const bytes = encodeToBuffer(setField, { type: 'set_field', field: { h: 0x80000602, v: 0x800 } });
    expect(bytes.toString('hex')).toBe('00190010800006020800000000000000');
    expect(decodeAll(setField, bytes)).toEqual({ type: 'set_field', field: { h: 0x80000602, v: 0x800 } });
    const padded = Buffer.concat([
      bytes.subarray(0, 2),
      Buffer.from('0018', 'hex'),
      bytes.subarray(4),
      Buffer.alloc(8),
    ]);
    expect(() => decodeAll(setField, padded)).toThrow(/14 bytes left over/);
  });
});
