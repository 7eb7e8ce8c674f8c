import { ApiInputError } from '../../../../src/modules/runtime';
import { preHostConfig, storedAttributes } from '../../../../src/modules/viperflow/attributes';
import { ItemPath } from '../../../../src/modules/viperflow/item-path';
import { matches } from '../../../../src/modules/viperflow/list-ops';

const single = new ItemPath('');
const item = ItemPath.item('ports', 3);

describe('stored attributes (VLCP kwargs)', () => {
  it('pass through as given, typed ones normalised as VLCP converts them', () => {
    expect(
      storedAttributes(
        single,
        {
          id: 'x',
          mtu: '1450',
          vni: 7,
          lease_time: '600',
          mac_address: '0A:0B:0C:0D:0E:0F',
          host_routes: [
            ['10.1.2.3', '10.0.0.1'],
            ['10.2.3.4/16', '10.0.0.1'],
          ],
          custom: { nested: [1, 'two', null] },
        },
        ['id'],
      ),
    ).toEqual({
      mtu: 1450,
      vni: 7,
      lease_time: 600,
      mac_address: '0a:0b:0c:0d:0e:0f',
      host_routes: [
        ['10.1.2.3/32', '10.0.0.1'],
        ['10.2.0.0/16', '10.0.0.1'],
      ],
      custom: { nested: [1, 'two', null] },
    });
  });

  it.each([
    [{ network: 'x' }, 'ports.3.network: cannot be set'],
    [{ _key: 'x' }, 'ports.3._key: attribute names starting with _ or $ are reserved'],
    [
      { deep: [{ a: { $ref: 'viperflow.subnet.s' } }] },
      'ports.3.deep: a value may not contain {"$ref": ...} objects',
    ],
    [{ mtu: 'big' }, 'ports.3.mtu: "big" is not a whole number'],
  ])('refuses %j naming the item and field', (params, message) => {
    const run = () => storedAttributes(item, params, [], { network: 'cannot be set' });
    expect(run).toThrow(ApiInputError);
    expect(run).toThrow(message);
  });

  it('fills pre_host_config defaults and checks each address against its CIDR', () => {
    expect(preHostConfig(single, [{ systemid: 'h1', local_address: '10.0.0.5' }], '10.0.0.0/24')).toEqual([
      { systemid: 'h1', bridge: '%', vhost: '', local_address: '10.0.0.5' },
    ]);
    expect(preHostConfig(single, [{ cidr: '172.16.0.9/16', gateway: '172.16.0.1' }], '10.0.0.0/24')).toEqual([
      { systemid: '%', bridge: '%', vhost: '', cidr: '172.16.0.0/16', gateway: '172.16.0.1' },
    ]);
    expect(() => preHostConfig(item, [{}, { gateway: '10.9.0.1' }], '10.0.0.0/24')).toThrow(
      'ports.3.pre_host_config.1.gateway: 10.9.0.1 is not in 10.0.0.0/24',
    );
  });
});

describe('list filters', () => {
  it('match equal JSON, a reference by id, query text of numbers and booleans, null for absent', () => {
    expect(matches('a', 'a')).toBe(true);
    expect(matches([1, [2]], [1, [2]])).toBe(true);
    expect(matches({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(matches({ $ref: 'viperflow.subnet.s%2E1' }, 's.1')).toBe(true);
    expect(matches({ $ref: 'viperflow.subnet.s1' }, 's2')).toBe(false);
    expect(matches(100, '100')).toBe(true);
    expect(matches(true, 'true')).toBe(true);
    expect(matches(100, 100)).toBe(true);
    expect(matches('100', 100)).toBe(false);
    expect(matches(undefined, null)).toBe(true);
    expect(matches(undefined, 'x')).toBe(false);
  });
});
