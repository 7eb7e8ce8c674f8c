import fc from 'fast-check';
import {
  escapeComponent,
  idOfKey,
  mapKey,
  objectKey,
  physicalPortKey,
  setKey,
} from '../../../../src/modules/viperflow';
import { unescapeComponent } from '../../../../src/modules/viperflow/keys';
import { InvalidKeyError, toKey } from '../../../../src/objectdb';

describe('viperflow keys', () => {
  it('any id makes a valid key, and the key gives the id back (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (id) => {
        const k = objectKey('logicalport', id);
        expect(toKey(k)).toBe(k);
        expect(escapeComponent(id)).not.toMatch(/[./ ]/);
        expect(unescapeComponent(escapeComponent(id))).toBe(id);
        expect(idOfKey('logicalport', k)).toBe(id);
        expect(idOfKey('logicalnetwork', k)).toBeNull();
      }),
    );
  });

  it('an id with a lone surrogate is refused as a key, not a crash', () => {
    expect(() => objectKey('subnet', 'a\ud800')).toThrow(InvalidKeyError);
  });

  it('different ids, kinds and the set/map keys never share a key (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        fc.pre(a !== b);
        expect(objectKey('subnet', a)).not.toBe(objectKey('subnet', b));
        const all = [
          objectKey('subnet', a),
          mapKey('subnet', a),
          objectKey('logicalnetwork', a),
          mapKey('logicalnetwork', a),
          setKey('subnet'),
          setKey('logicalnetwork'),
        ];
        expect(new Set(all).size).toBe(all.length);
      }),
    );
  });

  it('physical port keys keep their four parts apart, VLCP style', () => {
    const p = { vhost: '', systemid: '%', bridge: '%', name: 'eth0' };
    expect(physicalPortKey(p)).toBe('viperflow.physicalport..%25.%25.eth0');
    expect(physicalPortKey({ ...p, bridge: 'a.b', name: 'c' })).not.toBe(
      physicalPortKey({ ...p, bridge: 'a', name: 'b.c' }),
    );
    expect(objectKey('physicalnetwork', 'pn1')).toBe('viperflow.physicalnetwork.pn1');
    expect(mapKey('logicalnetwork', 'ln1')).toBe('viperflow.logicalnetworkmap.ln1');
    expect(setKey('logicalport')).toBe('viperflow.logicalportset');
  });
});
