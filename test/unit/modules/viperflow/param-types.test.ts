import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { validate } from '../../../../src/modules/runtime/schema-validator';
import {
  AutoInt,
  Cidr,
  DhcpOptions,
  IdRanges,
  IpAddress,
  LeaseTime,
  MacAddress,
  Routes,
} from '../../../../src/modules/viperflow/param-types';

const ok = (schema: Parameters<typeof validate>[0], v: unknown) => validate(schema, v) === undefined;

describe('VLCP parameter types', () => {
  it('IPv4 addresses: every dotted quad of 0-255, nothing else (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(ok(IpAddress, ip)).toBe(true);
      }),
    );
    for (const bad of ['256.0.0.1', '1.2.3', '01.2.3.4', '1.2.3.4 ', 'a.b.c.d'])
      expect(ok(IpAddress, bad)).toBe(false);
  });

  it('CIDRs, MACs, autoint, ranges, lease times, DHCP options and routes', () => {
    expect(ok(Cidr, '10.0.0.0/8')).toBe(true);
    expect(ok(Cidr, '10.0.0.0/33')).toBe(false);
    expect(ok(MacAddress, '02:aB:00:00:00:01')).toBe(true);
    expect(ok(MacAddress, '02-00-00-00-00-01')).toBe(false);
    expect(ok(AutoInt, 42) && ok(AutoInt, '42')).toBe(true);
    expect(ok(AutoInt, '4x')).toBe(false);
    expect(
      ok(IdRanges, [
        [1, 100],
        [200, 300],
      ]),
    ).toBe(true);
    expect(ok(IdRanges, [[1, 100, 3]])).toBe(false);
    expect(ok(LeaseTime, 'infinite') && ok(LeaseTime, 86400)).toBe(true);
    expect(ok(LeaseTime, 0)).toBe(false);
    expect(ok(DhcpOptions, [[42, ['10.0.0.1']]])).toBe(true);
    expect(ok(DhcpOptions, [[255, 'x']])).toBe(false);
    expect(ok(Routes, [['0.0.0.0/0', '10.0.0.1']])).toBe(true);
    expect(ok(Routes, [['0.0.0.0/0']])).toBe(false);
  });

  it('name the field at fault inside a batch item', () => {
    const batch = Type.Object({ ports: Type.Array(Type.Object({ mac_address: MacAddress })) });
    expect(validate(batch, { ports: [{ mac_address: '02:00:00:00:00:01' }, { mac_address: 'zz' }] })).toEqual(
      {
        field: 'ports.1.mac_address',
        message: 'must be MAC address, e.g. 02:00:00:00:00:01',
      },
    );
  });
});
