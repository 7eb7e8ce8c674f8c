/**
 * Hostile bytes: truncated or mutated encodings of valid messages make the decoder throw a
 * DecodeError that names a struct and an offset inside the input, never any other
 * exception, and never loop (every run below finishes).
 */
import fc from 'fast-check';
import { DecodeError, decodeAll, encodeToBuffer } from '../../../../src/openflow/codec';
import { ofp13Message } from '../../../../src/openflow/v13/message';
import { anyMessage } from './arbitraries';
import { sampleFlowMod } from './samples';

function expectDecodeError(bytes: Buffer, mustFail: boolean): void {
  try {
    decodeAll(ofp13Message, bytes);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    expect(e.struct).toMatch(/\w/);
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(bytes.length);
    return;
  }
  if (mustFail) throw new Error(`decoded ${bytes.length} truncated bytes without an error`);
}

describe('OpenFlow 1.3 decoder on bad bytes', () => {
  it('truncated messages throw DecodeError', () => {
    fc.assert(
      fc.property(anyMessage, fc.nat(), (m, cut) => {
        const bytes = encodeToBuffer(ofp13Message, m);
        expectDecodeError(bytes.subarray(0, cut % bytes.length), true);
      }),
      { numRuns: 1500 },
    );
  });

  it('a truncated flow_mod names the struct and where', () => {
    const bytes = encodeToBuffer(
      ofp13Message,
      sampleFlowMod({
        priority: 1,
        instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 1, maxLen: 0 }] }],
      }),
    );
    // Claim the whole length but end inside the output action.
    const cut = Buffer.from(bytes.subarray(0, bytes.length - 4));
    cut.writeUInt16BE(cut.length, 2);
    // The instruction list starts at byte 56 (48-byte flow_mod head, 8-byte empty match).
    expect(() => decodeAll(ofp13Message, cut)).toThrow(
      new DecodeError('ofp_instruction_actions', 'length 24 runs past the end (20 bytes left)', 56),
    );
  });

  it('mutated messages decode or throw DecodeError', () => {
    fc.assert(
      fc.property(
        anyMessage,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        (m, edits) => {
          const bytes = Buffer.from(encodeToBuffer(ofp13Message, m));
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          expectDecodeError(bytes, false);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('random bytes with a plausible header decode or throw DecodeError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 29 }), fc.uint8Array({ maxLength: 200 }), (msgType, body) => {
        const bytes = Buffer.concat([Buffer.alloc(8), Buffer.from(body)]);
        bytes[0] = 4;
        bytes[1] = msgType;
        bytes.writeUInt16BE(bytes.length, 2);
        expectDecodeError(bytes, false);
      }),
      { numRuns: 3000 },
    );
  });
});
