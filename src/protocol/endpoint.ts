/**
 * Endpoints in the notation OVS uses: `tcp:HOST:PORT`, `ssl:HOST:PORT`, `unix:PATH` to
 * connect; `ptcp:PORT[:HOST]`, `pssl:PORT[:HOST]`, `punix:PATH` to listen. IPv6 hosts go
 * in brackets (`tcp:[::1]:6640`).
 */
import { EndpointError } from './errors';

export type Endpoint =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly tls: boolean }
  | { readonly kind: 'unix'; readonly path: string };

export interface ParsedEndpoint {
  readonly endpoint: Endpoint;
  /** True for the passive forms (ptcp, pssl, punix): listen instead of connect. */
  readonly passive: boolean;
}

function parsePort(text: string, spec: string): number {
  if (!/^\d+$/.test(text)) throw new EndpointError(spec, `port "${text}" is not a number`);
  const port = Number(text);
  if (port > 65535) throw new EndpointError(spec, `port ${port} is out of range 0-65535`);
  return port;
}

function splitHostPort(rest: string, spec: string): [string, string] {
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']');
    if (end < 0 || rest[end + 1] !== ':') throw new EndpointError(spec, 'expected [IPV6]:PORT');
    return [rest.slice(1, end), rest.slice(end + 2)];
  }
  const colon = rest.lastIndexOf(':');
  if (colon < 0) throw new EndpointError(spec, 'expected HOST:PORT');
  return [rest.slice(0, colon), rest.slice(colon + 1)];
}

export function parseEndpoint(spec: string, defaultPort?: number): ParsedEndpoint {
  const colon = spec.indexOf(':');
  if (colon < 0) throw new EndpointError(spec, 'expected tcp:, ssl:, unix:, ptcp:, pssl: or punix:');
  const scheme = spec.slice(0, colon);
  const rest = spec.slice(colon + 1);
  switch (scheme) {
    case 'unix':
    case 'punix':
      if (rest === '') throw new EndpointError(spec, 'missing socket path');
      return { endpoint: { kind: 'unix', path: rest }, passive: scheme === 'punix' };
    case 'tcp':
    case 'ssl': {
      let host = rest;
      let port = defaultPort;
      if (rest.includes(':') && !(rest.startsWith('[') && rest.endsWith(']'))) {
        const [h, p] = splitHostPort(rest, spec);
        host = h;
        port = parsePort(p, spec);
      }
      host = host.replace(/^\[(.*)\]$/, '$1');
      if (host === '') throw new EndpointError(spec, 'missing host');
      if (port === undefined) throw new EndpointError(spec, 'missing port');
      return { endpoint: { kind: 'tcp', host, port, tls: scheme === 'ssl' }, passive: false };
    }
    case 'ptcp':
    case 'pssl': {
      let portText = rest;
      let host = '0.0.0.0';
      const sep = rest.indexOf(':');
      if (sep >= 0) {
        portText = rest.slice(0, sep);
        host = rest.slice(sep + 1).replace(/^\[(.*)\]$/, '$1');
      }
      const port = portText === '' && defaultPort !== undefined ? defaultPort : parsePort(portText, spec);
      return { endpoint: { kind: 'tcp', host, port, tls: scheme === 'pssl' }, passive: true };
    }
    default:
      throw new EndpointError(
        spec,
        `unknown scheme "${scheme}" (expected tcp, ssl, unix, ptcp, pssl or punix)`,
      );
  }
}

/** `HOST:PORT` as given to a listen flag (`0.0.0.0:6653`, `[::1]:8081`). */
export function parseHostPort(spec: string): { readonly host: string; readonly port: number } {
  const [host, port] = splitHostPort(spec, spec);
  if (host === '') throw new EndpointError(spec, 'missing host');
  return { host, port: parsePort(port, spec) };
}

export function formatEndpoint(e: Endpoint): string {
  if (e.kind === 'unix') return `unix:${e.path}`;
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return `${e.tls ? 'ssl' : 'tcp'}:${host}:${e.port}`;
}
