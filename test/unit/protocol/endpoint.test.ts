import { EndpointError, formatEndpoint, parseEndpoint, parseHostPort } from '../../../src/protocol';

describe('endpoints', () => {
  it.each([
    ['tcp:127.0.0.1:6640', { kind: 'tcp', host: '127.0.0.1', port: 6640, tls: false }, false],
    ['ssl:ovs.example:6640', { kind: 'tcp', host: 'ovs.example', port: 6640, tls: true }, false],
    ['tcp:[::1]:6653', { kind: 'tcp', host: '::1', port: 6653, tls: false }, false],
    ['unix:/var/run/openvswitch/db.sock', { kind: 'unix', path: '/var/run/openvswitch/db.sock' }, false],
    ['ptcp:6640', { kind: 'tcp', host: '0.0.0.0', port: 6640, tls: false }, true],
    ['ptcp:6640:127.0.0.1', { kind: 'tcp', host: '127.0.0.1', port: 6640, tls: false }, true],
    ['punix:/tmp/x.sock', { kind: 'unix', path: '/tmp/x.sock' }, true],
  ])('parses %s', (spec, endpoint, passive) => {
    expect(parseEndpoint(spec)).toEqual({ endpoint, passive });
  });

  it('uses a default port when none is given', () => {
    expect(parseEndpoint('tcp:10.0.0.1', 6640).endpoint).toEqual({
      kind: 'tcp',
      host: '10.0.0.1',
      port: 6640,
      tls: false,
    });
  });

  it('formats what it parses', () => {
    for (const s of ['tcp:127.0.0.1:6640', 'ssl:h:1', 'unix:/a/b', 'tcp:[::1]:6653']) {
      expect(formatEndpoint(parseEndpoint(s).endpoint)).toBe(s);
    }
  });

  it.each([
    ['6640', /expected tcp:/],
    ['udp:1.2.3.4:5', /unknown scheme "udp"/],
    ['tcp:1.2.3.4:70000', /out of range/],
    ['tcp:1.2.3.4:http', /"http" is not a number/],
    ['tcp:1.2.3.4', /missing port/],
    ['unix:', /missing socket path/],
  ])('rejects %s clearly', (spec, pattern) => {
    expect(() => parseEndpoint(spec)).toThrow(EndpointError);
    expect(() => parseEndpoint(spec)).toThrow(pattern);
  });

  it('parses listen addresses', () => {
    expect(parseHostPort('0.0.0.0:6653')).toEqual({ host: '0.0.0.0', port: 6653 });
    expect(parseHostPort('[::1]:8081')).toEqual({ host: '::1', port: 8081 });
    expect(() => parseHostPort('8081')).toThrow(/HOST:PORT/);
  });
});
