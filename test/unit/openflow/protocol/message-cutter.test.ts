/** The test helpers' framing: however TCP splits a stream, the same whole messages come out. */
import fc from 'fast-check';
import { bytes, u8, u32 } from '../wire-arbitraries';
import { MessageCutter } from './message-cutter';
import { rawMessage } from './raw-message';
import { splitAt } from './split-at';

const message = fc.tuple(u8, u8, u32, bytes(40)).map(([v, t, xid, body]) => rawMessage(v, t, xid, body));

describe('MessageCutter', () => {
  it('hands on every message whole and in order, whatever the chunks', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (ms, cuts) => {
        const cutter = new MessageCutter();
        const out: Buffer[] = [];
        for (const chunk of splitAt(Buffer.concat(ms), cuts)) cutter.feed(chunk, (m) => out.push(m));
        expect(out).toEqual(ms);
      }),
    );
  });

  it('refuses a header shorter than itself, after handing on what came before', () => {
    const cutter = new MessageCutter();
    const out: Buffer[] = [];
    const bad = Buffer.from('0400000400000001', 'hex');
    expect(() => cutter.feed(Buffer.concat([rawMessage(4, 2, 7), bad]), (m) => out.push(m))).toThrow(
      /length 4, under its own 8 bytes/,
    );
    expect(out).toEqual([rawMessage(4, 2, 7)]);
  });
});
