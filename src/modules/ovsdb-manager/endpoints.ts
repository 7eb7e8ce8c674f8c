/**
 * The `ovsdb` config key: where the OVSDB databases of this host are. Active endpoints
 * (`unix:PATH`, `tcp:HOST:PORT`) are connected to and kept connected; passive ones
 * (`ptcp:PORT[:ADDR]`, `punix:PATH`) accept ovsdb-server connecting to us after
 * `ovs-vsctl set-manager tcp:CONTROLLER:PORT`. Every error names the endpoint at fault.
 */
import { type Endpoint, EndpointError, parseEndpoint } from '../../protocol';
import { ConfigError } from '../runtime';

export const DEFAULT_OVSDB_ENDPOINT = 'unix:/var/run/openvswitch/db.sock';

export interface OvsdbEndpoint {
  /** As configured: the name connections and bridges report. */
  readonly spec: string;
  readonly endpoint: Endpoint;
  readonly passive: boolean;
}

/**
 * Parses the configured endpoints; throws ConfigError (key `key`) naming the first bad one.
 * `ssl:`/`pssl:` are refused: there is no certificate configuration for them yet.
 */
export function parseOvsdbEndpoints(
  specs: readonly string[],
  key = 'module.ovsdbmanager.ovsdb',
): OvsdbEndpoint[] {
  if (specs.length === 0)
    throw new ConfigError(key, 'lists no endpoint (give at least one, e.g. unix:/path)');
  const seen = new Set<string>();
  return specs.map((spec) => {
    const bad = (detail: string) => new ConfigError(key, `endpoint "${spec}": ${detail}`);
    if (/^p?ssl:/.test(spec)) throw bad('ssl is not supported yet (use unix:, tcp:, ptcp: or punix:)');
    let parsed: ReturnType<typeof parseEndpoint>;
    try {
      // No default port: an endpoint without one is a mistake worth naming.
      parsed = parseEndpoint(spec);
    } catch (e) {
      if (e instanceof EndpointError) throw bad(e.message.replace(/^endpoint "[^"]*": /, ''));
      throw e;
    }
    if (parsed.endpoint.kind === 'tcp' && !parsed.passive && parsed.endpoint.port === 0)
      throw bad('port 0 cannot be connected to');
    if (seen.has(spec)) throw bad('is listed twice');
    seen.add(spec);
    return { spec, endpoint: parsed.endpoint, passive: parsed.passive };
  });
}
