import fc from 'fast-check';
import { OpenflowFrameParser } from '../../../../src/openflow/protocol';
import { ProtocolError } from '../../../../src/protocol';
import { splitAt } from './split-at';

/** A well-formed message: any version/type/xid, a body of any size up to `maxBody`. */
const message = (maxBody: number) =>
  fc
    .record({
      version: fc.integer({ min: 0, max: 255 }),
      type: fc.integer({ min: 0, max: 255 }),
      xid: fc.integer({ min: 0, max: 0xffffffff }),
      body: fc.uint8Array({ maxLength: maxBody }),
    })
    .map(({ version, type, xid, body }) => {
      const b = Buffer.alloc(8 + body.length);
      b[0] = version;
      b[1] = type;
      b.writeUInt16BE(b.length, 2);
      b.writeUInt32BE(xid, 4);
      Buffer.from(body).copy(b, 8);
      return b;
    });

describe('OpenFlow framing', () => {
  it('gives back exactly the messages sent, whatever the split points', () => {
    fc.assert(
      fc.property(
        fc.array(message(300), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (msgs, cuts) => {
          const stream = Buffer.concat(msgs);
          const parser = new OpenflowFrameParser();
          const got: Buffer[] = [];
          for (const chunk of splitAt(stream, cuts)) parser.feed(chunk, (f) => got.push(Buffer.from(f)));
          expect(got).toEqual(msgs);
          expect(parser.pending).toBe(0);
        },
      ),
    );
  });

  it('holds back an unfinished message and reports its bytes as pending', () => {
    const parser = new OpenflowFrameParser();
    const got: Buffer[] = [];
    const m = Buffer.from('0400001000000007aabbccddeeff0011', 'hex');
    parser.feed(m.subarray(0, 3), (f) => got.push(f));
    parser.feed(m.subarray(3, 12), (f) => got.push(f));
    expect(got).toHaveLength(0);
    expect(parser.pending).toBe(12);
    parser.feed(m.subarray(12), (f) => got.push(f));
    expect(got).toEqual([m]);
  });

  it.each([0, 4, 7])('refuses a header length of %i (shorter than the header)', (len) => {
    const parser = new OpenflowFrameParser();
    const b = Buffer.from('0400000000000001', 'hex');
    b.writeUInt16BE(len, 2);
    expect(() => parser.feed(b, () => undefined)).toThrow(ProtocolError);
    expect(() => new OpenflowFrameParser().feed(b, () => undefined)).toThrow(
      /shorter than the 8-byte header/,
    );
  });

  it('refuses a length above the configured maximum, naming both', () => {
    const parser = new OpenflowFrameParser(1024);
    const b = Buffer.alloc(8);
    b[0] = 4;
    b.writeUInt16BE(1025, 2);
    expect(() => parser.feed(b, () => undefined)).toThrow(
      /message length 1025 exceeds the limit of 1024 bytes/,
    );
  });

  it('reports where in the chunk the bad length is', () => {
    const good = Buffer.from('0402000800000001', 'hex');
    const bad = Buffer.from('0402000300000002', 'hex');
    const parser = new OpenflowFrameParser();
    const got: Buffer[] = [];
    let error: unknown;
    try {
      parser.feed(Buffer.concat([good, bad]), (f) => got.push(f));
    } catch (e) {
      error = e;
    }
    expect(got).toEqual([good]);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).offset).toBe(8);
  });

  it('refuses a maximum below the header size', () => {
    expect(() => new OpenflowFrameParser(7)).toThrow(RangeError);
  });
});
