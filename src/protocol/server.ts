/** Accepts connections for a Protocol on TCP, TLS or a unix socket. */
import { existsSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { Connection, type ConnectionOptions } from './connection';
import type { Endpoint } from './endpoint';
import { formatEndpoint } from './endpoint';
import type { Protocol } from './protocol';

export interface ServerOptions<In, Out> extends ConnectionOptions<In, Out> {
  /** Certificate and key for `ssl`/`pssl` endpoints. */
  readonly tls?: tls.TlsOptions;
  /** Called for each accepted connection, before its handshake. */
  readonly onConnection?: (connection: Connection<In, Out>) => void;
}

export class Server<In, Out = In> {
  private readonly live = new Set<Connection<In, Out>>();

  private constructor(
    private readonly server: net.Server,
    readonly endpoint: Endpoint,
  ) {}

  /** Starts listening; resolves once bound (the bound port for port 0). */
  static listen<In, Out>(
    protocol: Protocol<In, Out>,
    endpoint: Endpoint,
    options: ServerOptions<In, Out>,
  ): Promise<Server<In, Out>> {
    let self: Server<In, Out> | undefined;
    const accept = (socket: net.Socket) => {
      const remote =
        endpoint.kind === 'unix'
          ? `unix:${endpoint.path}`
          : `tcp:${socket.remoteAddress}:${socket.remotePort}`;
      const conn = new Connection(protocol, socket, remote, 'inbound', options);
      self!.live.add(conn);
      conn.closed.then(() => self!.live.delete(conn));
      options.onConnection?.(conn);
    };
    const isTls = endpoint.kind === 'tcp' && endpoint.tls;
    const server = isTls ? tls.createServer(options.tls ?? {}, accept) : net.createServer(accept);
    self = new Server<In, Out>(server, endpoint);
    return new Promise((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(new Error(`cannot listen on ${formatEndpoint(endpoint)}: ${err.message}`));
      });
      if (endpoint.kind === 'unix') {
        removeStaleSocket(endpoint.path);
        server.listen(endpoint.path, () => resolve(self!));
      } else {
        server.listen(endpoint.port, endpoint.host, () => resolve(self!));
      }
    });
  }

  get connections(): ReadonlySet<Connection<In, Out>> {
    return this.live;
  }

  /** The bound TCP port (useful after listening on port 0), or undefined for unix sockets. */
  get port(): number | undefined {
    const a = this.server.address();
    return typeof a === 'object' && a !== null ? a.port : undefined;
  }

  /** Stops accepting and closes every connection. */
  close(): Promise<void> {
    for (const c of this.live) c.close('server shutting down');
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A socket file left by a process that died would make listen fail with EADDRINUSE. */
function removeStaleSocket(path: string): void {
  if (!existsSync(path)) return;
  try {
    unlinkSync(path);
  } catch {
    // Leave it; listen reports the real problem.
  }
}
