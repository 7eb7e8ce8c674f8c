import fc from 'fast-check';
import { ApiInputError } from '../../../../src/modules/runtime';
import { ItemPath } from '../../../../src/modules/viperflow/item-path';
import type { SubnetObject } from '../../../../src/modules/viperflow/model';
import { parseCidr } from '../../../../src/modules/viperflow/subnet';
import type { Attached } from '../../../../src/modules/vrouter-api/attached-subnets';
import { checkRoutes, normaliseRoutes, unreachable } from '../../../../src/modules/vrouter-api/routes';
import type { Key } from '../../../../src/objectdb';
import { type Ipv4Address, ipv4FromNumber, ipv4ToNumber } from '../../../../src/openflow/packet';

const single = new ItemPath('');
const item = ItemPath.item('routers', 2);

function attached(id: string, cidr: string, address: string): Attached {
  return {
    port: `vrouterapi.routerport.${id}` as Key,
    interface: {
      id,
      router: { $ref: 'vrouterapi.virtualrouter.r' },
      subnet: { $ref: `viperflow.subnet.${id}` },
    },
    subnetKey: `viperflow.subnet.${id}` as Key,
    subnet: { id, cidr } as SubnetObject,
    cidr: parseCidr(cidr, 'cidr'),
    address: ipv4ToNumber(address as Ipv4Address),
  };
}

describe('static routes', () => {
  it('stores prefixes in network form, a bare address as /32 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (n, len) => {
        const [[prefix, hop]] = normaliseRoutes(single, [[`${ipv4FromNumber(n)}/${len}`, '10.0.0.1']]) as [
          [string, string],
        ];
        const net = len === 0 ? 0 : (n & ((0xffffffff << (32 - len)) >>> 0)) >>> 0;
        expect(prefix).toBe(`${ipv4FromNumber(net)}/${len}`);
        expect(hop).toBe('10.0.0.1');
        // Normalising again changes nothing.
        expect(normaliseRoutes(single, [[prefix, hop]])).toEqual([[prefix, hop]]);
      }),
    );
    expect(normaliseRoutes(single, [['172.16.1.1', '10.0.0.1']])).toEqual([['172.16.1.1/32', '10.0.0.1']]);
  });

  it('refuses a repeated prefix and a malformed pair, naming the route', () => {
    const e = (() => {
      try {
        normaliseRoutes(item, [
          ['10.1.0.0/16', '10.0.0.2'],
          ['10.1.2.3/16', '10.0.0.3'],
        ]);
      } catch (x) {
        return x;
      }
    })() as ApiInputError;
    expect(e).toBeInstanceOf(ApiInputError);
    expect(e.parameter).toBe('routers.2.routes.1');
    expect(e.message).toBe('routers.2.routes.1: prefix 10.1.0.0/16 is already routed by routes.0');
    expect(() => normaliseRoutes(single, [['10.0.0.0/8']])).toThrow(
      /^routes\.0: must be a \[prefix, next hop\] pair/,
    );
    expect(() => normaliseRoutes(single, 'x')).toThrow(/^routes: must be a list/);
  });

  it('a next hop is reachable exactly when one attached subnet holds it and it is not the router', () => {
    const a = [attached('s1', '10.0.0.0/24', '10.0.0.1'), attached('s2', '10.0.1.0/24', '10.0.1.9')];
    expect(unreachable(['0.0.0.0/0', '10.0.0.7'], a)).toBeNull();
    expect(unreachable(['0.0.0.0/0', '10.0.1.1'], a)).toBeNull();
    expect(unreachable(['0.0.0.0/0', '10.0.1.9'], a)).toMatch(/the router's own address on subnet s2/);
    expect(unreachable(['0.0.0.0/0', '10.0.2.1'], a)).toMatch(
      /not inside any subnet attached to the router \(attached: s1 10\.0\.0\.0\/24, s2 10\.0\.1\.0\/24\)/,
    );
    expect(unreachable(['0.0.0.0/0', '10.0.0.7'], [])).toMatch(/it has no interfaces/);
    expect(() =>
      checkRoutes(
        item,
        [
          ['1.0.0.0/8', '10.0.0.7'],
          ['2.0.0.0/8', '9.9.9.9'],
        ],
        a,
      ),
    ).toThrow(/^routers\.2\.routes\.1: next hop 9\.9\.9\.9/);
  });
});
