/** A newline-delimited text protocol, just enough to exercise the connection framework. */
import { type Protocol, ProtocolError, type StreamParser } from '../../../src/protocol';

export function lineProtocol(
  opts: { keepalive?: { idleMs: number; timeoutMs: number } } = {},
): Protocol<string> {
  return {
    name: 'line',
    createParser(): StreamParser<string> {
      let rest = '';
      return {
        get pending() {
          return rest.length;
        },
        feed(chunk, emit) {
          const text = rest + chunk.toString('utf8');
          const lines = text.split('\n');
          rest = lines.pop()!;
          for (const l of lines) {
            if (l.includes('\0')) throw new ProtocolError('line', 'NUL byte in a line');
            emit(l);
          }
        },
      };
    },
    serialize: (m) => Buffer.from(`${m}\n`),
    ...(opts.keepalive ? { keepalive: { ...opts.keepalive, probe: (c) => c.send('PING') } } : {}),
  };
}
