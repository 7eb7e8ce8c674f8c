import fc from 'fast-check';
import { decodeAll, encodeToBuffer } from '../../../../src/openflow/codec';
import { type Hello, hello, helloVersions, makeHello } from '../../../../src/openflow/hello';
import {
  formatDatapathId,
  negotiateVersion,
  OpenflowConfigError,
  resolveOpenflowSettings,
  supportedVersions,
  toDatapathId,
} from '../../../../src/openflow/protocol';

const version = fc.integer({ min: 1, max: 100 });

describe('version negotiation', () => {
  it('picks the highest version in both bitmaps, or none', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(version, { minLength: 1, maxLength: 8 }),
        fc.uniqueArray(version, { minLength: 1, maxLength: 8 }),
        (ours, theirs) => {
          // Through the wire form, as the peer's hello arrives.
          const peer = decodeAll(hello, encodeToBuffer(hello, makeHello(theirs, 1)));
          const common = ours.filter((v) => theirs.includes(v));
          expect(negotiateVersion(ours, peer)).toBe(common.length ? Math.max(...common) : undefined);
        },
      ),
    );
  });

  it('reads a hello without a bitmap as every version up to its own', () => {
    fc.assert(
      fc.property(fc.uniqueArray(version, { minLength: 1 }), fc.integer({ min: 1, max: 100 }), (ours, v) => {
        const peer: Hello = { type: 'hello', version: v, xid: 1, elements: [] };
        const common = ours.filter((o) => o <= v);
        expect(negotiateVersion(ours, peer)).toBe(common.length ? Math.max(...common) : undefined);
      }),
    );
  });

  it.each([
    ['1.0 only', [1], [1, 4], 1],
    ['1.3 only', [4], [1, 4], 4],
    ['both', [1, 4], [1, 4], 4],
    ['1.3 and 1.5', [4, 6], [1, 4], 4],
    ['1.4 and 1.5', [5, 6], [1, 4], undefined],
    ['1.0 peer, 1.3 controller', [1], [4], undefined],
  ])('%s', (_name, theirs, ours, expected) => {
    expect(negotiateVersion(ours, makeHello(theirs, 1))).toBe(expected);
  });

  it('offers every registered version by default, in a bitmap', () => {
    const s = resolveOpenflowSettings();
    expect(s.versions).toEqual(supportedVersions);
    expect(helloVersions(makeHello(s.versions, 1))).toEqual([...supportedVersions]);
  });
});

describe('settings', () => {
  it.each([
    [{ versions: [] }, 'versions'],
    [{ versions: [2] }, 'versions'],
    [{ echoIntervalMs: -1 }, 'echoIntervalMs'],
    [{ deadPeerTimeoutMs: 0 }, 'deadPeerTimeoutMs'],
    [{ requestTimeoutMs: 1.5 }, 'requestTimeoutMs'],
    [{ maxMessageBytes: 7 }, 'maxMessageBytes'],
    [{ maxMessageBytes: 70000 }, 'maxMessageBytes'],
  ])('refuses %j, naming %s', (options, key) => {
    let error: unknown;
    try {
      resolveOpenflowSettings(options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OpenflowConfigError);
    expect((error as OpenflowConfigError).key).toBe(key);
  });
});

describe('datapath ids', () => {
  it('round-trips through the 16-hex-digit form OVS prints', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (n) => {
        const id = toDatapathId(n);
        expect(formatDatapathId(id)).toHaveLength(16);
        expect(toDatapathId(formatDatapathId(id))).toBe(n);
        expect(toDatapathId(`"${formatDatapathId(id)}"`)).toBe(n);
        expect(toDatapathId(`0x${n.toString(16)}`)).toBe(n);
        // 16 bare digits are OVS's hex form; any other decimal string is decimal.
        if (n.toString().length !== 16) expect(toDatapathId(n.toString())).toBe(n);
        else expect(toDatapathId(n.toString())).toBe(BigInt(`0x${n.toString()}`));
      }),
    );
  });

  it.each(['', 'xyz', '-1', '0x1ffffffffffffffff', String(1n << 64n)])('refuses %j', (text) => {
    expect(() => toDatapathId(text)).toThrow(/datapath id/);
  });
});
