import fc from 'fast-check';
import {
  DatapathIdParam,
  datapathIdFromOvsdb,
  datapathIdParam,
  formatDatapathId,
  ovsdbManagerModule,
  parseOvsdbEndpoints,
} from '../../../../src/modules/ovsdb-manager';
import { ApiInputError, ConfigError, ModuleStartError, Runtime } from '../../../../src/modules/runtime';

describe('ovsdb endpoints', () => {
  it('reads unix, tcp, ptcp and punix endpoints', () => {
    expect(
      parseOvsdbEndpoints(['unix:/run/db.sock', 'tcp:10.0.0.1:6640', 'ptcp:6640', 'ptcp:6641:127.0.0.1']),
    ).toEqual([
      { spec: 'unix:/run/db.sock', endpoint: { kind: 'unix', path: '/run/db.sock' }, passive: false },
      {
        spec: 'tcp:10.0.0.1:6640',
        endpoint: { kind: 'tcp', host: '10.0.0.1', port: 6640, tls: false },
        passive: false,
      },
      {
        spec: 'ptcp:6640',
        endpoint: { kind: 'tcp', host: '0.0.0.0', port: 6640, tls: false },
        passive: true,
      },
      {
        spec: 'ptcp:6641:127.0.0.1',
        endpoint: { kind: 'tcp', host: '127.0.0.1', port: 6641, tls: false },
        passive: true,
      },
    ]);
  });

  it.each([
    ['tcp:10.0.0.1', 'missing port'],
    ['tcp:10.0.0.1:70000', 'out of range'],
    ['http://x', 'unknown scheme'],
    ['db.sock', 'expected tcp:'],
    ['ssl:1.2.3.4:6640', 'ssl is not supported'],
    ['ptcp:x', 'not a number'],
    ['tcp:1.2.3.4:0', 'port 0'],
  ])('refuses %s, naming it (%s)', (spec, detail) => {
    const e = (() => {
      try {
        parseOvsdbEndpoints(['unix:/ok', spec]);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).key).toBe('module.ovsdbmanager.ovsdb');
    expect((e as Error).message).toContain(`"${spec}"`);
    expect((e as Error).message).toContain(detail);
  });

  it('refuses an empty list and an endpoint listed twice', () => {
    expect(() => parseOvsdbEndpoints([])).toThrow(/lists no endpoint/);
    expect(() => parseOvsdbEndpoints(['unix:/a', 'unix:/a'])).toThrow(/"unix:\/a": is listed twice/);
  });

  it('a bad endpoint stops the module from starting, with the endpoint in the message', async () => {
    const rt = new Runtime({
      modules: [ovsdbManagerModule],
      config: { ovsdbmanager: { ovsdb: ['tcp:nohost'] } },
    });
    const err = await rt.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModuleStartError);
    expect((err as Error).message).toContain(
      'module.ovsdbmanager.ovsdb: endpoint "tcp:nohost": missing port',
    );
  });

  it('takes a single endpoint as a plain string (config file: module.ovsdbmanager.ovsdb=unix:/path)', () => {
    expect(
      () => new Runtime({ modules: [ovsdbManagerModule], config: { ovsdbmanager: { ovsdb: 'unix:/x' } } }),
    ).not.toThrow();
    expect(
      () => new Runtime({ modules: [ovsdbManagerModule], config: { ovsdbmanager: { ovsdb: 5 } } }),
    ).toThrow(ConfigError);
  });
});

describe('datapath ids', () => {
  it('round-trip between bigint and the 16 hex digits OVS prints, over all 64 bits', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (id) => {
        const text = formatDatapathId(id);
        expect(text).toMatch(/^[0-9a-f]{16}$/);
        expect(datapathIdFromOvsdb(text)).toBe(id);
        expect(datapathIdParam(id.toString(), 'd')).toBe(id);
        expect(datapathIdParam(`0x${id.toString(16)}`, 'd')).toBe(id);
      }),
    );
    expect(datapathIdFromOvsdb(undefined)).toBeUndefined();
    expect(datapathIdFromOvsdb('')).toBeUndefined();
  });

  it('refuses a parameter past 64 bits or a rounded number, naming the parameter', () => {
    expect(() => datapathIdParam('18446744073709551616', 'datapathid')).toThrow(ApiInputError);
    expect(() => datapathIdParam('18446744073709551616', 'datapathid')).toThrow(/datapathid.*64 bits/);
    expect(() => datapathIdParam(2 ** 60, 'datapathid')).toThrow(/give it as a string/);
    expect(DatapathIdParam.anyOf).toHaveLength(2);
  });
});
