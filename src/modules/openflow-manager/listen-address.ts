/**
 * The OpenFlow listen addresses operators write: `ptcp:6653[:ADDR]`, `pssl:...`,
 * `punix:PATH`, or the short `HOST:PORT` / `PORT` of `--openflow-listen 0.0.0.0:6653`.
 */
import { ConfigError } from '../runtime';

export function listenEndpoint(text: string, key: string): string {
  if (/^(ptcp|pssl|punix):/.test(text)) return text;
  const short = /^(?:(\[[0-9a-fA-F:]+\]|[^:]+):)?(\d{1,5})$/.exec(text);
  if (short) {
    const port = Number(short[2]);
    if (port > 65535) throw new ConfigError(key, `port ${port} is out of range in ${JSON.stringify(text)}`);
    return short[1] === undefined ? `ptcp:${port}` : `ptcp:${port}:${short[1].replace(/^\[|\]$/g, '')}`;
  }
  throw new ConfigError(
    key,
    `${JSON.stringify(text)} is not a listen address: use HOST:PORT, ptcp:PORT[:ADDR], pssl:PORT[:ADDR] or punix:PATH`,
  );
}
