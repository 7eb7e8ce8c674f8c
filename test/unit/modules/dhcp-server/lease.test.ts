/** Leases from viperflow objects: precedence, defaults, extra options, and ports without one. */
import {
  ExtraOptionError,
  extraDhcpOption,
  INFINITE_LEASE,
  resolveLease,
} from '../../../../src/modules/dhcp-server';
import type { JsonObject } from '../../../../src/objectdb';
import { parseIpv4Address } from '../../../../src/openflow/packet';

const DEFAULTS = { leaseTime: 3600, serverAddress: parseIpv4Address('169.254.169.254') };
const network: JsonObject = { id: 'n1', nwid: 7 };
const subnet: JsonObject = {
  id: 's1',
  network: { $ref: 'viperflow.logicalnetwork.n1' },
  cidr: '10.1.0.0/24',
  gateway: '10.1.0.1',
};
const port: JsonObject = {
  id: 'p1',
  network: { $ref: 'viperflow.logicalnetwork.n1' },
  subnet: { $ref: 'viperflow.subnet.s1' },
  mac_address: '02:00:00:00:00:01',
  ip_address: '10.1.0.5',
};

function lease(p = port, s: JsonObject | undefined = subnet, n: JsonObject | undefined = network) {
  const r = resolveLease({ port: p, subnet: s, network: n }, DEFAULTS);
  if (!r.ok) throw new Error(r.reason);
  return r.lease;
}

const hex = (o: unknown) =>
  o && typeof o === 'object' && 'data' in o ? Buffer.from(o.data as Uint8Array).toString('hex') : undefined;

describe('dhcpserver leases', () => {
  it('takes address, MAC, network number and server id (the gateway, else the configured address)', () => {
    const l = lease();
    expect(l).toMatchObject({ address: '10.1.0.5', mac: '02:00:00:00:00:01', nwid: 7, serverId: '10.1.0.1' });
    expect(l.leaseTime).toBe(3600);
    expect(l.options.get(1)).toEqual({ kind: 'subnetMask', value: '255.255.255.0' });
    expect(l.options.get(28)).toEqual({ kind: 'broadcastAddress', value: '10.1.0.255' });
    expect(l.options.get(3)).toEqual({ kind: 'routers', value: ['10.1.0.1'] });
    const { gateway: _, ...noGateway } = subnet;
    const l2 = lease(port, noGateway);
    expect(l2.serverId).toBe('169.254.169.254');
    expect(l2.options.has(3)).toBe(false);
  });

  it('subnet settings win over the logical network, the port over both, extra options over attributes', () => {
    const l = lease(
      { ...port, hostname: 'vm1', extra_dhcp_options: [[15, 'port.example']] },
      { ...subnet, dns_nameservers: ['10.1.0.2'], mtu: 1400, lease_time: 'infinite' },
      {
        ...network,
        dns_nameservers: ['8.8.8.8'],
        domain_name: 'net.example',
        ntp_servers: ['10.0.0.9'],
        mtu: 1500,
        lease_time: 600,
        extra_dhcp_options: [[6, ['1.1.1.1']]],
      },
    );
    expect(l.options.get(6)).toEqual({ kind: 'dnsServers', value: ['10.1.0.2'] });
    expect(l.options.get(26)).toEqual({ kind: 'mtu', value: 1400 });
    expect(l.options.get(42)).toEqual({ kind: 'ntpServers', value: ['10.0.0.9'] });
    expect(l.options.get(12)).toEqual({ kind: 'hostname', value: 'vm1' });
    expect(hex(l.options.get(15))).toBe(Buffer.from('port.example').toString('hex'));
    expect(l.leaseTime).toBe(INFINITE_LEASE);
    // A network's extra option stays when the subnet sets nothing for that code.
    const l2 = lease(port, subnet, { ...network, extra_dhcp_options: [[6, ['1.1.1.1']]], lease_time: 600 });
    expect(hex(l2.options.get(6))).toBe('01010101');
    expect(l2.leaseTime).toBe(600);
  });

  it('host routes become options 121 and 249 with a default route via the gateway added', () => {
    const l = lease(port, { ...subnet, host_routes: [['172.16.0.0/12', '10.1.0.254']] });
    expect(l.options.get(121)).toEqual({
      kind: 'classlessStaticRoutes',
      value: [
        { destination: '172.16.0.0', prefixLength: 12, router: '10.1.0.254' },
        { destination: '0.0.0.0', prefixLength: 0, router: '10.1.0.1' },
      ],
    });
    // RFC 3442 bytes: 12 172.16 10.1.0.254, 0 10.1.0.1
    expect(hex(l.options.get(249))).toBe('0cac100a0100fe000a010001');
    const withDefault = lease(port, { ...subnet, host_routes: [['0.0.0.0/0', '10.1.0.254']] });
    expect(withDefault.options.get(121)).toEqual({
      kind: 'classlessStaticRoutes',
      value: [{ destination: '0.0.0.0', prefixLength: 0, router: '10.1.0.254' }],
    });
  });

  it('gives no lease to a port without address, MAC, subnet or network number, saying why', () => {
    const { ip_address: _, ...noIp } = port;
    const why = (p: JsonObject, s?: JsonObject, n?: JsonObject) => {
      const r = resolveLease({ port: p, subnet: s, network: n }, DEFAULTS);
      return r.ok ? 'ok' : r.reason;
    };
    expect(why(noIp, subnet, network)).toBe('logical port p1 has no ip_address');
    expect(why(port, undefined, network)).toMatch(/subnet is missing/);
    expect(why(port, subnet, { id: 'n1' })).toMatch(/nwid/);
    expect(why(port, { ...subnet, cidr: 'x' }, network)).toMatch(/cidr/);
  });

  it('leaves out extra options it cannot encode, naming them', () => {
    const l = lease({ ...port, extra_dhcp_options: [[26, 'big'], [3, ['nope']], [200, 'ok'], 'junk'] });
    expect(l.skipped).toEqual([
      'logical port: extra_dhcp_options: option 26 = "big": needs a whole number 0..65535',
      'logical port: extra_dhcp_options: option 3 = ["nope"]: needs an IPv4 address or a non-empty list of them',
      'logical port: extra_dhcp_options item "junk" is not a [code, value] pair',
    ]);
    expect(hex(l.options.get(200))).toBe(Buffer.from('ok').toString('hex'));
    expect(l.options.get(3)).toEqual({ kind: 'routers', value: ['10.1.0.1'] });
  });

  it('leaves out options over 255 bytes instead of failing every reply', () => {
    const l = lease({ ...port, hostname: 'h'.repeat(300) }, { ...subnet, domain_name: 'example.test' });
    expect(l.options.has(12)).toBe(false);
    expect(l.options.has(15)).toBe(true);
    expect(l.skipped).toEqual(['logical port: option 12 is longer than 255 bytes']);
  });

  it('encodes extra options by code and JSON type', () => {
    const bytes = (code: number, v: Parameters<typeof extraDhcpOption>[1]) => hex(extraDhcpOption(code, v));
    expect(bytes(42, ['10.0.0.1', '10.0.0.2'])).toBe('0a0000010a000002');
    expect(bytes(1, '255.255.0.0')).toBe('ffff0000');
    expect(bytes(26, 1450)).toBe('05aa');
    expect(bytes(19, true)).toBe('01');
    expect(bytes(51, 7200)).toBe('00001c20');
    expect(bytes(121, [['10.0.0.0/8', '10.1.0.1']])).toBe('080a0a010001');
    expect(bytes(100, 'tz')).toBe('747a');
    expect(bytes(160, 5)).toBe('00000005');
    expect(() => extraDhcpOption(0, 'x')).toThrow(ExtraOptionError);
    expect(() => extraDhcpOption(100, '')).toThrow(/encodes to 0 bytes/);
    expect(() => extraDhcpOption(100, { a: 1 })).toThrow(/needs a string/);
  });
});
