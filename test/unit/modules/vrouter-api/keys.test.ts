import fc from 'fast-check';
import {
  idOfRouterKey,
  routerKey,
  routerMapKey,
  routerPortKey,
  routerSetKey,
} from '../../../../src/modules/vrouter-api';
import { InvalidKeyError, toKey } from '../../../../src/objectdb';

describe('vrouterapi keys', () => {
  it('any id makes valid keys that give the id back (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (id) => {
        for (const k of [routerKey(id), routerMapKey(id), routerPortKey(id)]) expect(toKey(k)).toBe(k);
        expect(idOfRouterKey('virtualrouter', routerKey(id))).toBe(id);
        expect(idOfRouterKey('routerport', routerPortKey(id))).toBe(id);
        expect(idOfRouterKey('routerport', routerKey(id))).toBeNull();
      }),
    );
  });

  it('different ids and kinds never share a key (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        fc.pre(a !== b);
        const keys = [a, b].flatMap((id) => [routerKey(id), routerMapKey(id), routerPortKey(id)]);
        expect(new Set([...keys, routerSetKey()]).size).toBe(keys.length + 1);
      }),
    );
  });

  it('an id whose map key would be too long, or with a lone surrogate, is refused', () => {
    expect(() => routerKey('x'.repeat(500))).toThrow(InvalidKeyError);
    expect(() => routerPortKey('a\ud800')).toThrow(InvalidKeyError);
  });
});
