import fc from 'fast-check';
import { ApiInputError } from '../../../../src/modules/runtime';
import {
  allocateId,
  checkRanges,
  inRanges,
  VLAN_IDS,
  VNIS,
} from '../../../../src/modules/viperflow/id-ranges';
import {
  allocateAddress,
  allocationPool,
  contains,
  formatCidr,
  parseAddress,
  parseCidr,
} from '../../../../src/modules/viperflow/subnet';

describe('id ranges', () => {
  it('accepts ranges that include both ends', () => {
    expect(
      checkRanges(
        [
          [100, 200],
          [1, 1],
        ],
        VLAN_IDS,
        'vlanrange',
      ),
    ).toEqual([
      [100, 200],
      [1, 1],
    ]);
    expect(inRanges(200, [[100, 200]])).toBe(true);
    expect(inRanges(201, [[100, 200]])).toBe(false);
  });

  it.each([
    [[], /non-empty list/],
    [[[1, 2, 3]], /pair of whole numbers/],
    [[[5, 1]], /start 5 is after end 1/],
    [[[0, 10]], /VLAN ids are 1-4094, got 0-10/],
    [[[4000, 4095]], /VLAN ids are 1-4094/],
    [
      [
        [1, 10],
        [10, 20],
      ],
      /ranges 1-10 and 10-20 overlap/,
    ],
    [[[1.5, 3]], /whole numbers/],
  ])('refuses vlanrange %j', (ranges, pattern) => {
    expect(() => checkRanges(ranges, VLAN_IDS, 'vlanrange')).toThrow(ApiInputError);
    expect(() => checkRanges(ranges, VLAN_IDS, 'vlanrange')).toThrow(pattern);
  });

  it('allocates the lowest free id inside the ranges, never a used one (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 5 })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.uniqueArray(fc.integer({ min: 1, max: 70 }), { maxLength: 40 }),
        (starts, usedList) => {
          let ranges: [number, number][];
          try {
            ranges = checkRanges(
              starts.map(([a, n]) => [a, a + n]),
              VNIS,
              'vnirange',
            ) as [number, number][];
          } catch {
            return; // overlapping input: refused, covered above
          }
          const used = new Set(usedList);
          const free: number[] = [];
          for (let id = 1; id <= 70; id++) if (inRanges(id, ranges) && !used.has(id)) free.push(id);
          if (free.length === 0) {
            expect(() => allocateId(ranges, used, VNIS)).toThrow(/no free VNI/);
          } else {
            expect(allocateId(ranges, used, VNIS)).toBe(free[0]);
          }
        },
      ),
    );
  });

  it('takes a requested id only when it is in range and free', () => {
    const ranges = checkRanges([[10, 20]], VLAN_IDS, 'vlanrange');
    expect(allocateId(ranges, new Set([11]), VLAN_IDS, 12)).toBe(12);
    expect(() => allocateId(ranges, new Set([11]), VLAN_IDS, 11)).toThrow(/VLAN id 11 is already used/);
    expect(() => allocateId(ranges, new Set(), VLAN_IDS, 21)).toThrow(
      /outside the physical network's ranges/,
    );
  });
});

describe('subnets', () => {
  it('parses CIDRs strictly, or not for routes', () => {
    expect(formatCidr(parseCidr('10.1.0.0/16', 'cidr'))).toBe('10.1.0.0/16');
    expect(() => parseCidr('10.1.0.1/16', 'cidr')).toThrow(/host bits set \(the network is 10.1.0.0\/16\)/);
    expect(formatCidr(parseCidr('10.1.0.1/16', 'routes', false))).toBe('10.1.0.0/16');
    expect(formatCidr(parseCidr('0.0.0.0/0', 'routes'))).toBe('0.0.0.0/0');
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '300.0.0.0/8', 'x/8', '10.0.0.0/-1']) {
      expect(() => parseCidr(bad, 'cidr')).toThrow(/is not an IPv4 CIDR/);
    }
  });

  it('keeps network and broadcast out of the default pool', () => {
    const c = parseCidr('192.168.1.0/24', 'cidr');
    const pool = allocationPool(c);
    expect([pool.start, pool.end]).toEqual([
      parseAddress('192.168.1.1', 'x'),
      parseAddress('192.168.1.254', 'x'),
    ]);
    const p31 = allocationPool(parseCidr('10.0.0.0/31', 'cidr'));
    expect(p31.end - p31.start).toBe(1);
  });

  it('checks allocated_start/allocated_end', () => {
    const c = parseCidr('10.0.0.0/24', 'cidr');
    expect(() => allocationPool(c, '10.0.1.5')).toThrow(/allocated_start 10.0.1.5 is outside 10.0.0.0\/24/);
    expect(() => allocationPool(c, '10.0.0.50', '10.0.0.10')).toThrow(/is after allocated_end/);
    expect(() => allocationPool(c, 'nope')).toThrow(/"nope" is not an IPv4 address/);
  });

  it('allocates the lowest free address of the pool, inside the subnet (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 24, max: 30 }),
        fc.uniqueArray(fc.nat(300), { maxLength: 80 }),
        (prefix, offsets) => {
          const c = parseCidr(`10.9.0.0/${prefix}`, 'cidr');
          const pool = allocationPool(c);
          const used = new Set(offsets.map((o) => c.network + o));
          let expected: number | undefined;
          for (let a = pool.start; a <= pool.end; a++) {
            if (!used.has(a)) {
              expected = a;
              break;
            }
          }
          if (expected === undefined) {
            expect(() => allocateAddress(pool, used)).toThrow(/no free address/);
          } else {
            const got = parseAddress(allocateAddress(pool, used), 'x');
            expect(got).toBe(expected);
            expect(contains(c, got)).toBe(true);
          }
        },
      ),
    );
  });
});
