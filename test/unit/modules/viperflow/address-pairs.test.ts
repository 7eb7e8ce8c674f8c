/**
 * viperflow's check of `allowed_address_pairs`, as properties: any JSON value is either
 * accepted or refused with an AddressPairError naming the port and the entry (never another
 * error), and whatever viperflow accepts l2 reads back whole — the two parsers agree.
 */
import fc from 'fast-check';
import { parseAddressPairs as l2Pairs } from '../../../../src/modules/l2';
import { AddressPairError, parseAddressPairs } from '../../../../src/modules/viperflow';
import { ItemPath } from '../../../../src/modules/viperflow/item-path';
import type { JsonValue } from '../../../../src/objectdb';
import { ipv4FromNumber } from '../../../../src/openflow/packet/ipv4-address';

const path = ItemPath.item('ports', 4);

const validPair = fc
  .record({
    n: fc.integer({ min: 0, max: 0xffffffff }),
    len: fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined }),
    mac: fc.option(
      fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => {
        b[0] = b[0]! & 0xfe; // unicast
        return [...b].map((x) => x.toString(16).padStart(2, '0').toUpperCase()).join(':');
      }),
      { nil: undefined },
    ),
  })
  .map(({ n, len, mac }) => {
    const mask =
      len === undefined || len === 32 ? 0xffffffff : len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    const addr = ipv4FromNumber((n & mask) >>> 0);
    return {
      ip_address: len === undefined ? addr : `${addr}/${len}`,
      ...(mac !== undefined ? { mac_address: mac } : {}),
    };
  });

describe('allowed_address_pairs check (viperflow)', () => {
  it('any JSON value: accepted, or an AddressPairError naming port and field', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.array(fc.dictionary(fc.string(), fc.jsonValue()))), (v) => {
        try {
          parseAddressPairs(path, 'p', v);
        } catch (e) {
          expect(e).toBeInstanceOf(AddressPairError);
          const err = e as AddressPairError;
          expect(err.portId).toBe('p');
          expect(err.parameter!.startsWith('ports.4.allowed_address_pairs')).toBe(true);
          expect(err.message).toContain('logical port p');
          if (err.index !== undefined) expect(err.parameter).toContain(`allowed_address_pairs.${err.index}`);
        }
      }),
    );
  });

  it('valid lists are stored as given with MACs lower-cased, and l2 reads every pair back', () => {
    fc.assert(
      fc.property(fc.array(validPair, { maxLength: 5 }), (list) => {
        const stored = parseAddressPairs(path, 'p', list);
        if (list.length === 0) {
          expect(stored).toBeNull();
          return;
        }
        expect(stored).toEqual(
          list.map((p) => ({ ...p, ...(p.mac_address ? { mac_address: p.mac_address.toLowerCase() } : {}) })),
        );
        const read = l2Pairs(stored as unknown as JsonValue)!;
        expect(read).toHaveLength(list.length);
        read.forEach((r, i) => {
          expect(
            `${r.prefix}${r.length === 32 && !list[i]!.ip_address.includes('/') ? '' : `/${r.length}`}`,
          ).toBe(list[i]!.ip_address);
          expect(r.mac).toBe(list[i]!.mac_address?.toLowerCase());
        });
      }),
    );
  });

  it('a prefix with host bits set is refused (not normalised), naming the network', () => {
    expect(() => parseAddressPairs(path, 'p', [{ ip_address: '192.168.50.1/24' }])).toThrow(
      'ports.4.allowed_address_pairs.0.ip_address: logical port p: entry 0: 192.168.50.1/24 has host bits set (the network is 192.168.50.0/24)',
    );
  });
});
