/**
 * OpenFlow 1.0 messages: every message type round-trips through our encoder and decoder (both
 * ways, and through the JSON form), and no input bytes make the decoder fail with anything
 * but a DecodeError that names the struct and the offset.
 */
import fc from 'fast-check';
import {
  DecodeError,
  decodeAll,
  EncodeError,
  encodeToBuffer,
  type Json,
  toJson,
} from '../../../../src/openflow/codec';
import { MessageType } from '../../../../src/openflow/v10/constants';
import { OFP10_MATCH_SIZE, ofpMatch } from '../../../../src/openflow/v10/match';
import { ofp10Match } from '../../../../src/openflow/v10/match-spec';
import { type Ofp10Message, ofp10Message } from '../../../../src/openflow/v10/message';
import { anyMessage, messages } from './arbitraries';

const encode = (v: Ofp10Message) => encodeToBuffer(ofp10Message, v);
const decode = (b: Buffer) => decodeAll(ofp10Message, b);

describe('ofp10Message round trip', () => {
  it('has a generator for every message tag of the union', () => {
    expect(Object.keys(messages).sort()).toEqual([...ofp10Message.tags].sort());
  });

  it.each(Object.keys(messages))('%s: decode(encode(v)) = v and encode(decode(b)) = b', (tag) => {
    fc.assert(
      fc.property(messages[tag]!, (v) => {
        const bytes = encode(v);
        expect(bytes[0]).toBe(1);
        expect(bytes.readUInt16BE(2)).toBe(bytes.length);
        const back = decode(bytes);
        expect(back.type).toBe(v.type);
        expect(toJson(back)).toEqual(toJson(v));
        expect(encode(back)).toEqual(bytes);
        // The JSON form encodes to the same bytes.
        expect(encode(JSON.parse(JSON.stringify(toJson(back))) as Ofp10Message)).toEqual(bytes);
      }),
      { numRuns: 60 },
    );
  });

  it('writes the message type and length of the spec', () => {
    const sizes: [Ofp10Message, number, number][] = [
      [{ type: 'features_request', xid: 1 }, MessageType.FEATURES_REQUEST, 8],
      [{ type: 'set_config', xid: 1, flags: 0, missSendLen: 128 }, MessageType.SET_CONFIG, 12],
      [
        {
          type: 'flow_mod',
          xid: 1,
          match: ofp10Match({}),
          cookie: 0n,
          command: 0,
          idleTimeout: 0,
          hardTimeout: 0,
          priority: 0,
          bufferId: 0,
          outPort: 0,
          flags: 0,
          actions: [],
        },
        MessageType.FLOW_MOD,
        72,
      ],
      [
        {
          type: 'port_mod',
          xid: 1,
          portNo: 1,
          hwAddr: '02:00:00:00:00:01' as never,
          config: 0,
          mask: 0,
          advertise: 0,
        },
        MessageType.PORT_MOD,
        32,
      ],
      [
        { type: 'aggregate_stats_reply', xid: 1, flags: 0, packetCount: 0n, byteCount: 0n, flowCount: 0 },
        MessageType.STATS_REPLY,
        36,
      ],
      [
        {
          type: 'desc_stats_reply',
          xid: 1,
          flags: 0,
          mfrDesc: '',
          hwDesc: '',
          swDesc: '',
          serialNum: '',
          dpDesc: '',
        },
        MessageType.STATS_REPLY,
        12 + 1056,
      ],
      [{ type: 'queue_get_config_request', xid: 1, port: 1 }, MessageType.QUEUE_GET_CONFIG_REQUEST, 12],
    ];
    expect(ofpMatch.fixedSize).toBe(OFP10_MATCH_SIZE);
    expect(OFP10_MATCH_SIZE).toBe(40);
    for (const [v, t, len] of sizes) {
      const b = encode(v);
      expect([b[1], b.length]).toEqual([t, len]);
    }
  });
});

function expectOnlyDecodeError(b: Buffer): void {
  try {
    decode(b);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    expect(e.struct).toMatch(/\w/);
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(b.length);
  }
}

describe('ofp10Message on bad bytes', () => {
  it('throws only DecodeError on random bytes behind a plausible header', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 23 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.boolean(),
        (type, body, honest) => {
          const b = Buffer.alloc(8 + body.length);
          b[0] = 1;
          b[1] = type;
          b.writeUInt16BE(honest ? b.length : (body[0] ?? 0) * 3, 2);
          b.set(body, 8);
          expectOnlyDecodeError(b);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('throws only DecodeError on fully random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (a) => expectOnlyDecodeError(Buffer.from(a))),
      {
        numRuns: 2000,
      },
    );
  });

  it('throws only DecodeError on mutated and truncated valid messages', () => {
    fc.assert(
      fc.property(
        anyMessage,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (v, edits, cut) => {
          const good = encode(v);
          const bad = Buffer.from(good);
          for (const [at, byte] of edits) bad[at % bad.length] = byte;
          expectOnlyDecodeError(bad);
          expectOnlyDecodeError(good.subarray(0, cut % good.length));
          // Inner length fields (actions, flow stats, queues) shrunk or grown.
          const grown = Buffer.from(good);
          if (grown.length > 12) grown.writeUInt16BE((grown.readUInt16BE(10) + 8) & 0xffff, 10);
          expectOnlyDecodeError(grown);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('names the struct and the offset', () => {
    const fm = encode({
      type: 'flow_mod',
      xid: 9,
      match: ofp10Match({ inPort: 1 }),
      cookie: 1n,
      command: 0,
      idleTimeout: 0,
      hardTimeout: 0,
      priority: 1,
      bufferId: 0xffffffff,
      outPort: 0xffff,
      flags: 0,
      actions: [{ type: 'output', port: 2, maxLen: 0 }],
    });
    const badVersion = Buffer.from(fm);
    badVersion[0] = 4;
    expect(() => decode(badVersion)).toThrow(new DecodeError('ofp_flow_mod', 'version must be 1, is 4', 0));
    const badAction = Buffer.from(fm);
    badAction.writeUInt16BE(0x0c, 72);
    expect(() => decode(badAction)).toThrow(new DecodeError('ofp10_action', 'unknown type 12', 72));
    const actionLen = Buffer.from(fm);
    actionLen.writeUInt16BE(16, 74);
    expect(() => decode(actionLen)).toThrow(
      new DecodeError('ofp_action_output', 'length 16 runs past the end (8 bytes left)', 72),
    );
    expect(() => decode(fm.subarray(0, 40))).toThrow(DecodeError);
    const unknownType = Buffer.from('0116000800000001', 'hex');
    expect(() => decode(unknownType)).toThrow(new DecodeError('ofp10_message', 'unknown type 22', 1));
    const unknownStats = Buffer.from('0110000c000000010007' + '0000', 'hex');
    expect(() => decode(unknownStats)).toThrow(new DecodeError('ofp_stats_request', 'unknown type 7', 8));
  });

  it('names the struct and field of a bad value', () => {
    expect(() =>
      encode({
        type: 'packet_out',
        xid: 1,
        bufferId: 0,
        inPort: 0x10000,
        actions: [],
        data: Buffer.alloc(0),
      }),
    ).toThrow(new EncodeError('ofp_packet_out', 'inPort', 'expected an integer 0..65535, got 65536'));
    expect(() => encode({ type: 'nope' } as unknown as Ofp10Message)).toThrow(EncodeError);
    const flowMod = {
      type: 'flow_mod',
      xid: 1,
      match: { ...ofp10Match({}), dlSrc: 'zz' },
      cookie: '18446744073709551615',
      command: 0,
      idleTimeout: 0,
      hardTimeout: 0,
      priority: 0,
      bufferId: 0,
      outPort: 0,
      flags: 0,
      actions: [],
    } as const satisfies Json;
    expect(() => encode(flowMod as unknown as Ofp10Message)).toThrow(
      new EncodeError('ofp_match', 'dlSrc', 'expected a MAC address "aa:bb:cc:dd:ee:ff", got "zz"'),
    );
    const badAction = { ...flowMod, match: ofp10Match({}), actions: [{ type: 'set_nw_tos', nwTos: 256 }] };
    expect(() => encode(badAction as unknown as Ofp10Message)).toThrow(
      new EncodeError('ofp_action_nw_tos', 'nwTos', 'expected an integer 0..255, got 256'),
    );
    // The cookie's JSON form (a decimal string) is accepted.
    expect(encode({ ...flowMod, match: ofp10Match({}) } as unknown as Ofp10Message).readBigUInt64BE(48)).toBe(
      (1n << 64n) - 1n,
    );
  });
});
