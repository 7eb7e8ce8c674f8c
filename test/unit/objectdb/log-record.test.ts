import fc from 'fast-check';
import { CorruptStoreError, type Key } from '../../../src/objectdb';
import { decodeLog, encodeRecord, type LogEntry } from '../../../src/objectdb/embedded/log-record';

const entry = fc.record({
  seq: fc.nat(),
  writes: fc.array(
    fc.tuple(
      fc.string({ minLength: 1 }).map((s) => s as Key),
      fc.option(fc.string(), { nil: null }),
    ),
  ),
}) as fc.Arbitrary<LogEntry>;

test('property: records decode to what was encoded', () => {
  fc.assert(
    fc.property(fc.array(entry, { maxLength: 10 }), (entries) => {
      const buf = Buffer.concat(entries.map(encodeRecord));
      const out = decodeLog('log', buf);
      expect(out.entries).toEqual(entries.map((e) => ({ seq: e.seq, writes: e.writes.map((w) => [...w]) })));
      expect(out.validBytes).toBe(buf.length);
    }),
  );
});

test('property: a log cut anywhere yields exactly the whole records before the cut', () => {
  fc.assert(
    fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), fc.nat(), (entries, cutSeed) => {
      const records = entries.map(encodeRecord);
      const buf = Buffer.concat(records);
      const cut = cutSeed % (buf.length + 1);
      const out = decodeLog('log', buf.subarray(0, cut));
      let whole = 0;
      let bytes = 0;
      for (const r of records) {
        if (bytes + r.length > cut) break;
        bytes += r.length;
        whole++;
      }
      expect(out.entries.length).toBe(whole);
      expect(out.validBytes).toBe(bytes);
    }),
  );
});

test('a flipped byte inside an earlier record is corruption', () => {
  const buf = Buffer.concat([
    encodeRecord({ seq: 1, writes: [['a' as Key, '1']] }),
    encodeRecord({ seq: 2, writes: [] }),
  ]);
  buf[10] = buf[10]! ^ 1;
  expect(() => decodeLog('log', buf)).toThrow(CorruptStoreError);
});
