/**
 * The controller's OpenFlow listener (`ptcp:6653`, `pssl:6653`, `punix:PATH`): switches
 * connect to it, each gets an OpenflowSwitch, and the switch-up/down and message events go
 * to the scheduler. Keeps the switches that are up by datapath id; a switch that connects
 * again replaces its older connection (which goes down first).
 */
import type { TlsOptions } from 'node:tls';
import pino, { type Logger } from 'pino';
import type { Scheduler } from '../../async';
import { type Connection, type Endpoint, type Protocol, parseEndpoint, Server } from '../../protocol';
import type { DatapathId } from './datapath-id';
import { SwitchDownEvent, SwitchUpEvent } from './events';
import { OpenflowFrameParser } from './frame-parser';
import { type OpenflowConnectionOptions, type OpenflowSettings, resolveOpenflowSettings } from './options';
import { OpenflowSwitch, type SwitchContext } from './switch';

export const OPENFLOW_PORT = 6653;

export interface OpenflowListenerOptions extends OpenflowConnectionOptions {
  /** Where the switch events go. */
  readonly scheduler: Scheduler;
  readonly logger?: Logger;
  /** Certificate and key for `pssl:` endpoints. */
  readonly tls?: TlsOptions;
  /** Writes wait for the socket to drain above this many buffered bytes. Default 1 MiB. */
  readonly highWaterMark?: number;
  /** A switch that lets more than this many bytes pile up unread is dropped. Default 16 MiB. */
  readonly maxBufferedBytes?: number;
  /** Hello plus features must be done within this. Default 10 s. */
  readonly handshakeTimeoutMs?: number;
}

export class OpenflowListener {
  private readonly live = new Map<DatapathId, OpenflowSwitch>();
  private server: Server<Buffer> | undefined;

  private constructor(readonly settings: OpenflowSettings) {}

  /** Starts listening (`ptcp:6653`, `ptcp:0:127.0.0.1`, ...); resolves once bound. */
  static async listen(
    endpoint: string | Endpoint,
    options: OpenflowListenerOptions,
  ): Promise<OpenflowListener> {
    const ep = typeof endpoint === 'string' ? parseEndpoint(endpoint, OPENFLOW_PORT).endpoint : endpoint;
    const settings = resolveOpenflowSettings(options);
    const self = new OpenflowListener(settings);
    const logger = options.logger ?? pino({ level: 'silent' });
    const ctx: SwitchContext = {
      settings,
      scheduler: options.scheduler,
      logger,
      onUp: (sw) => self.onUp(sw, options.scheduler),
      onDown: (sw, reason) => self.onDown(sw, reason, options.scheduler),
    };
    const sessions = new WeakMap<Connection<Buffer>, OpenflowSwitch>();
    const protocol: Protocol<Buffer> = {
      name: 'openflow',
      createParser: () => new OpenflowFrameParser(settings.maxMessageBytes),
      serialize: (bytes) => bytes,
      ...(settings.echoIntervalMs > 0
        ? {
            keepalive: {
              idleMs: settings.echoIntervalMs,
              timeoutMs: settings.deadPeerTimeoutMs,
              probe: (conn: Connection<Buffer>) => sessions.get(conn)?.probe(),
            },
          }
        : {}),
      // Runs inside the Connection constructor, before any data can arrive.
      handshake(conn, signal) {
        const sw = new OpenflowSwitch(conn, ctx);
        sessions.set(conn, sw);
        return sw.handshake(signal);
      },
    };
    self.server = await Server.listen(protocol, ep, {
      scheduler: options.scheduler,
      logger,
      onMessage: (frame, conn) => sessions.get(conn)?.receive(frame),
      ...(options.tls ? { tls: options.tls } : {}),
      ...(options.highWaterMark !== undefined ? { highWaterMark: options.highWaterMark } : {}),
      ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
      ...(options.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: options.handshakeTimeoutMs } : {}),
    });
    return self;
  }

  /** Switches that are up, by datapath id. */
  get switches(): ReadonlyMap<DatapathId, OpenflowSwitch> {
    return this.live;
  }

  /** The bound TCP port (after listening on port 0). */
  get port(): number | undefined {
    return this.server?.port;
  }

  /** Stops accepting and closes every connection (each up switch goes down). */
  async close(): Promise<void> {
    for (const sw of [...this.live.values()]) sw.close('listener shutting down');
    await this.server?.close();
  }

  private onUp(sw: OpenflowSwitch, scheduler: Scheduler): void {
    const dpid = sw.datapathId;
    const older = this.live.get(dpid);
    if (older !== undefined && older !== sw) {
      older.close(`replaced by connection ${sw.connectionId} from the same datapath`);
    }
    this.live.set(dpid, sw);
    scheduler.emit(
      SwitchUpEvent.create({
        datapathId: dpid,
        version: sw.version,
        connectionId: sw.connectionId,
        remote: sw.remote,
        features: sw.features,
        connection: sw,
      }),
    );
  }

  private onDown(sw: OpenflowSwitch, reason: string, scheduler: Scheduler): void {
    const dpid = sw.datapathId;
    if (this.live.get(dpid) === sw) this.live.delete(dpid);
    scheduler.emit(
      SwitchDownEvent.create({
        datapathId: dpid,
        version: sw.version,
        connectionId: sw.connectionId,
        remote: sw.remote,
        reason,
      }),
    );
  }
}
