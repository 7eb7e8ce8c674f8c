/**
 * One switch connected to us: the OpenFlow session over a framework Connection. It runs the
 * hello/features handshake, answers echo requests, matches replies to requests by xid
 * (reassembling multipart replies), turns OFPT_ERROR replies into rejected requests, and
 * publishes every other message as a SwitchMessageEvent. A message no codec can read gets
 * OFPT_ERROR back and closes this connection only.
 */
import type { Logger } from 'pino';
import { type Scheduler, throwIfCancelled } from '../../async';
import { type Connection, ConnectionClosedError, type ConnectionId } from '../../protocol';
import { decodeAll, encodeToBuffer, type Writer } from '../codec';
import { OFP13_VERSION, peekHeader } from '../header';
import { type Hello, hello, makeHello } from '../hello';
import { type BundledMessage, bundleAddMessage, bundled } from '../v13/bundle-message';
import { BundleFlags } from '../v13/constants';
import type { Ofp13Message } from '../v13/message';
import { anyVersionError } from './any-version-error';
import { BatchWriter } from './batch-writer';
import { type DatapathId, formatDatapathId, toDatapathId } from './datapath-id';
import {
  OpenflowHandshakeError,
  OpenflowReplyError,
  OpenflowRequestError,
  OpenflowUsageError,
} from './errors';
import { SwitchMessageEvent } from './events';
import type { SwitchFeatures } from './features';
import {
  ERROR_DATA_BYTES,
  OFPBRC_BAD_VERSION,
  OFPET_BAD_REQUEST,
  OFPET_HELLO_FAILED,
  OFPHFC_INCOMPATIBLE,
  OFPT_HELLO,
} from './message-codes';
import { collectParts, hasMoreParts } from './multipart';
import { negotiateVersion } from './negotiate';
import type { OpenflowSettings } from './options';
import { PendingRequests, type ReplyHandlers, type Settle } from './pending-requests';
import { badRequestCode } from './refusal';
import { type RoleName, type RoleState, roleFromReply, roleRequest } from './role';
import type { VersionCodec } from './version-codec';
import { codecFor, type OpenflowMessage, type OpenflowVersion, versionLabel } from './versions';

/** A message to send: any message of the negotiated version; `xid` is allocated when absent. */
export type OutgoingMessage = OpenflowMessage extends infer M
  ? M extends OpenflowMessage
    ? Omit<M, 'xid'> & { readonly xid?: number }
    : never
  : never;

export interface RequestOptions {
  /** Default: the connection's `requestTimeoutMs`. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** What the listener gives each session. */
export interface SwitchContext {
  readonly settings: OpenflowSettings;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  /** The handshake finished: register and announce the switch. */
  onUp(sw: OpenflowSwitch): void;
  /** The connection of a switch that was up closed. */
  onDown(sw: OpenflowSwitch, reason: string): void;
}

type Phase = 'hello' | 'features' | 'up' | 'failed';

/** The bundle add with its message, encoded in one pass (into a batch). */
const encodeBundleAdd = (w: Writer, add: BundledMessage): void => bundleAddMessage.encode(w, add);

/** What the messages of a batch are watched with: replies ignored, refusals collected. */
function batchWatchers(errors: OpenflowRequestError[]): ReplyHandlers {
  return { onReply: () => undefined, onError: (e) => errors.push(e) };
}

/** Messages received between hello and the features reply, published once the switch is up. */
const MAX_EARLY_MESSAGES = 1024;

export class OpenflowSwitch {
  private phase: Phase = 'hello';
  private versionValue: OpenflowVersion | undefined;
  private codec: VersionCodec<OpenflowMessage> | undefined;
  private featuresValue: SwitchFeatures | undefined;
  private featuresXid = -1;
  private early: OpenflowMessage[] = [];
  private handshakeWait: Settle<void> | undefined;
  private wasUp = false;
  private downReported = false;
  private logger: Logger;
  private readonly pending = new PendingRequests();
  private nextBundleId = 1;

  constructor(
    readonly connection: Connection<Buffer>,
    private readonly ctx: SwitchContext,
  ) {
    this.logger = ctx.logger.child({ conn: connection.id, remote: connection.remote });
    connection.closed.then((reason) => this.onClosed(reason));
  }

  get connectionId(): ConnectionId {
    return this.connection.id;
  }

  get remote(): string {
    return this.connection.remote;
  }

  /** True from the features reply until the connection closes. */
  get isUp(): boolean {
    return this.phase === 'up' && this.connection.state !== 'closed';
  }

  /** The negotiated version (after the hello exchange). */
  get version(): OpenflowVersion {
    if (this.versionValue === undefined) throw this.usage('no version negotiated yet');
    return this.versionValue;
  }

  get features(): SwitchFeatures {
    if (this.featuresValue === undefined) throw this.usage('no features reply yet');
    return this.featuresValue;
  }

  get datapathId(): DatapathId {
    return this.features.datapathId;
  }

  /** Requests waiting for replies. */
  get pendingRequests(): number {
    return this.pending.size;
  }

  /** The datapath id in hex once known, else the peer address: for errors and logs. */
  get name(): string {
    return this.featuresValue ? formatDatapathId(this.featuresValue.datapathId) : this.remote;
  }

  /** Resolves with the reason once the connection is closed. */
  get closed(): Promise<string> {
    return this.connection.closed;
  }

  close(reason = 'closed by controller'): void {
    if (this.connection.state === 'closed') return; // its own reason is reported
    this.connection.close(reason);
    // Report at once (not on the closed promise) so a replacing connection's up event follows it.
    this.onClosed(reason);
  }

  // --- handshake ------------------------------------------------------------------------

  /** Sends our hello; resolves once the features reply is in (Protocol.handshake). */
  handshake(signal: AbortSignal): Promise<void> {
    const offer = this.ctx.settings.versions;
    this.connection.send(encodeToBuffer(hello, makeHello(offer, this.pending.nextXid())));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.handshakeWait = {
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
    });
  }

  private onHello(frame: Buffer): void {
    const h = peekHeader(frame);
    if (h.msgType !== OFPT_HELLO) {
      this.fail(`expected hello, got message type ${h.msgType}`);
      return;
    }
    let peer: Hello;
    try {
      peer = decodeAll(hello, frame);
    } catch {
      // Unreadable elements: fall back to what the header alone offers.
      peer = { type: 'hello', version: h.version, xid: h.xid, elements: [] };
    }
    const offer = this.ctx.settings.versions;
    const version = negotiateVersion(offer, peer);
    const codec = version === undefined ? undefined : codecFor(version);
    if (version === undefined || codec === undefined) {
      const detail = `no common OpenFlow version: we offer ${offer.map(versionLabel).join(', ')}; peer hello is ${versionLabel(peer.version)}`;
      const errVersion = Math.min(peer.version, Math.max(...offer));
      this.sendError(
        errVersion,
        h.xid,
        OFPET_HELLO_FAILED,
        OFPHFC_INCOMPATIBLE,
        Buffer.from(detail, 'ascii'),
      );
      this.fail(detail);
      return;
    }
    this.versionValue = version as OpenflowVersion;
    this.codec = codec;
    this.phase = 'features';
    this.featuresXid = this.pending.nextXid();
    this.connection.send(codec.encode({ type: 'features_request', xid: this.featuresXid }));
  }

  private onFeatures(message: OpenflowMessage): void {
    if (message.type === 'error') {
      this.fail(`features request refused: error type ${message.errType} code ${message.code}`);
      return;
    }
    if (message.type !== 'features_reply') {
      this.fail(`expected a features reply, got ${message.type}`);
      return;
    }
    if ('auxiliaryId' in message && message.auxiliaryId !== 0) {
      // OpenFlow 1.3 auxiliary connections would share (and replace) the main one's datapath id.
      this.fail(
        `auxiliary connection ${message.auxiliaryId} refused: auxiliary connections are not supported`,
      );
      return;
    }
    this.featuresValue = {
      datapathId: toDatapathId(message.datapathId),
      nBuffers: message.nBuffers,
      nTables: message.nTables,
      capabilities: message.capabilities,
      reply: message,
    };
    this.logger = this.logger.child({ dpid: formatDatapathId(this.featuresValue.datapathId) });
    this.phase = 'up';
    this.wasUp = true;
    this.handshakeWait?.resolve();
    this.handshakeWait = undefined;
    this.logger.info({ version: versionLabel(this.version) }, 'switch up');
    this.ctx.onUp(this);
    const early = this.early;
    this.early = [];
    for (const m of early) this.publish(m);
  }

  // --- receiving ------------------------------------------------------------------------

  /** One framed message from the connection (ConnectionOptions.onMessage). */
  receive(frame: Buffer): void {
    if (this.phase === 'failed' || this.connection.state === 'closed') return;
    if (this.phase === 'hello') {
      this.onHello(frame);
      return;
    }
    const h = peekHeader(frame);
    const codec = this.codec!;
    if (h.version !== codec.version) {
      if (h.msgType === OFPT_HELLO) return; // a second hello changes nothing
      this.refuse(frame, OFPBRC_BAD_VERSION, `message version ${h.version} on an ${codec.label} connection`);
      return;
    }
    let message: OpenflowMessage;
    try {
      message = codec.decode(frame);
    } catch (err) {
      this.undecodable(frame, err);
      return;
    }
    if (message.type === 'echo_request') {
      this.connection.send(codec.encode({ type: 'echo_reply', xid: message.xid, data: message.data }));
      return;
    }
    if (this.phase === 'features' && h.xid === this.featuresXid) {
      this.onFeatures(message);
      return;
    }
    const entry = this.pending.get(h.xid);
    if (entry !== undefined) {
      if (message.type === 'error' || message.type === 'error_experimenter') {
        entry.handlers.onError(this.requestError(message, entry.request));
      } else {
        entry.handlers.onReply(message, frame);
      }
      return;
    }
    if (this.pending.takeAbandoned(h.xid, hasMoreParts(frame, codec.codes))) return;
    if (message.type === 'echo_reply' || message.type === 'hello') return; // keepalive answers
    if (this.phase === 'features') {
      if (this.early.length >= MAX_EARLY_MESSAGES) {
        this.fail(`more than ${MAX_EARLY_MESSAGES} messages before the features reply`);
        return;
      }
      this.early.push(message);
      return;
    }
    this.publish(message);
  }

  private publish(message: OpenflowMessage): void {
    this.ctx.scheduler.emit(
      SwitchMessageEvent.create({
        msgType: message.type,
        datapathId: this.datapathId,
        version: this.version,
        connectionId: this.connectionId,
        message,
        connection: this,
      }),
    );
  }

  private requestError(
    message: Extract<OpenflowMessage, { type: 'error' | 'error_experimenter' }>,
    request: { readonly type: string; readonly xid: number },
  ): OpenflowRequestError {
    if (message.type === 'error') {
      return new OpenflowRequestError(this.name, message.errType, message.code, message.data, request);
    }
    return new OpenflowRequestError(
      this.name,
      0xffff,
      message.expCode,
      message.data,
      request,
      message.experimenter,
    );
  }

  /** A message of our version that its codec cannot read: OFPT_ERROR back, then close. */
  private undecodable(frame: Buffer, err: unknown): void {
    const h = peekHeader(frame);
    const detail = err instanceof Error ? err.message : String(err);
    this.refuse(
      frame,
      badRequestCode(this.codec!, frame, err),
      `cannot decode message type ${h.msgType} xid ${h.xid}: ${detail}`,
    );
  }

  /** Answers OFPT_ERROR BAD_REQUEST/`code` with the start of `frame`, then closes. */
  private refuse(frame: Buffer, code: number, detail: string): void {
    const h = peekHeader(frame);
    this.logger.warn({ msgType: h.msgType, xid: h.xid, detail }, 'malformed message; closing connection');
    this.sendError(
      this.codec!.version,
      h.xid,
      OFPET_BAD_REQUEST,
      code,
      Buffer.from(frame.subarray(0, ERROR_DATA_BYTES)),
    );
    this.fail(`malformed message from ${this.name}: ${detail}`);
  }

  private sendError(version: number, xid: number, errType: number, code: number, data: Buffer): void {
    this.connection.send(
      encodeToBuffer(anyVersionError, { type: 'error', version, xid, errType, code, data }),
    );
  }

  /** Ends the session: during the handshake by failing it (the framework closes), else by closing. */
  private fail(reason: string): void {
    this.phase = 'failed';
    const wait = this.handshakeWait;
    this.handshakeWait = undefined;
    if (wait !== undefined) wait.reject(new OpenflowHandshakeError(this.remote, reason));
    else this.close(reason);
  }

  private onClosed(reason: string): void {
    this.pending.failAll(new ConnectionClosedError(this.connectionId, reason));
    this.handshakeWait?.reject(new OpenflowHandshakeError(this.remote, `connection closed: ${reason}`));
    this.handshakeWait = undefined;
    if (this.wasUp && !this.downReported) {
      this.downReported = true;
      this.logger.info({ reason }, 'switch down');
      this.ctx.onDown(this, reason);
    }
  }

  /** Keepalive probe (Protocol.keepalive): an echo request nobody waits for. */
  probe(): void {
    if (this.codec === undefined) return;
    this.connection.send(
      this.codec.encode({ type: 'echo_request', xid: this.pending.nextXid(), data: Buffer.alloc(0) }),
    );
  }

  // --- sending --------------------------------------------------------------------------

  private usage(detail: string): OpenflowUsageError {
    return new OpenflowUsageError(this.name, detail);
  }

  private encode(message: OpenflowMessage): Buffer {
    if (this.codec === undefined) throw this.usage(`cannot send ${message.type} before the hello exchange`);
    return this.codec.encode(message);
  }

  private withXid(message: OutgoingMessage, xid: number): OpenflowMessage {
    return { ...message, xid } as OpenflowMessage;
  }

  /**
   * Sends a message (its own xid, or a fresh one) and resolves with the xid once written:
   * at once below the connection's high-water mark, else when the socket drains.
   */
  async send(message: OutgoingMessage): Promise<number> {
    const xid = message.xid ?? this.pending.nextXid();
    if (message.xid !== undefined && this.pending.get(xid) !== undefined) {
      throw this.usage(`send: xid ${xid} belongs to a request still waiting for its reply`);
    }
    await this.connection.write(this.encode(this.withXid(message, xid)));
    return xid;
  }

  /**
   * Sends a request under a fresh xid and resolves with the first reply carrying it. An
   * OFPT_ERROR reply rejects with OpenflowRequestError; so do a timeout (TimeoutError),
   * `signal` (CancelledError) and the connection closing (ConnectionClosedError).
   */
  request(message: OutgoingMessage, options: RequestOptions = {}): Promise<OpenflowMessage> {
    return this.expect<OpenflowMessage>(message, options, (_sent, settle) => ({
      onReply: (reply) => settle.resolve(reply),
      onError: (e) => settle.reject(e),
    }));
  }

  /**
   * Sends a multipart (1.0: stats) request and resolves with every part of the reply, in
   * order, once a part without the MORE flag arrives.
   */
  requestMultipart(
    message: OutgoingMessage,
    options: RequestOptions = {},
  ): Promise<readonly OpenflowMessage[]> {
    const codes = this.codec?.codes;
    return this.expect<readonly OpenflowMessage[]>(
      message,
      options,
      (sent, settle) => collectParts(this.name, sent, codes!, this.ctx.settings.maxMultipartBytes, settle),
      (bytes) => {
        if (bytes[1] !== codes?.multipartRequest) {
          throw this.usage(`requestMultipart: ${message.type} is not a multipart request`);
        }
      },
    );
  }

  /** Sends a barrier request and resolves when the switch has processed everything sent before it. */
  async barrier(options: RequestOptions = {}): Promise<void> {
    await this.expect<void>({ type: 'barrier_request' }, options, (sent, settle) => ({
      onReply: (reply) =>
        reply.type === 'barrier_reply'
          ? settle.resolve()
          : settle.reject(
              new OpenflowReplyError(this.name, sent, `expected barrier_reply, got ${reply.type}`),
            ),
      onError: (e) => settle.reject(e),
    }));
  }

  /**
   * Sends `messages` (each under a fresh xid, respecting back-pressure) then one barrier,
   * and resolves once the barrier reply is in with the errors the switch answered any of
   * them with (empty: all applied). The switch answers errors before the barrier reply.
   */
  async sendWithBarrier(
    messages: readonly OutgoingMessage[],
    options: RequestOptions = {},
  ): Promise<readonly OpenflowRequestError[]> {
    const codec = this.codec;
    if (codec === undefined) throw this.usage('cannot send a batch before the hello exchange');
    const errors: OpenflowRequestError[] = [];
    const watchers = batchWatchers(errors);
    const watched: number[] = [];
    const what = `sendWithBarrier to switch ${this.name}`;
    const out = new BatchWriter(this.connection);
    try {
      for (const m of messages) {
        throwIfCancelled(options.signal, what);
        const sent = this.withXid(m, this.pending.nextXid());
        out.add(codec.encodeInto, sent);
        // Watched before anything is awaited: a refusal may arrive while a batch drains.
        this.pending.watch(sent, watchers);
        watched.push(sent.xid);
        if (out.full) await out.flush();
      }
      await out.flush();
      await this.barrier(options);
      return errors;
    } finally {
      for (const xid of watched) this.pending.forget(xid);
    }
  }

  /**
   * Sends `messages` as one ONF bundle (OpenFlow 1.3): open, one bundle-add per message,
   * then commit with ATOMIC|ORDERED, so the switch applies all or none of them. Resolves
   * with the errors of refused messages (then the bundle was discarded and nothing applied);
   * empty when all were applied.
   */
  async sendInBundle(
    messages: readonly OutgoingMessage[],
    options: RequestOptions = {},
  ): Promise<readonly OpenflowRequestError[]> {
    if (this.version !== OFP13_VERSION) {
      throw this.usage(
        `sendInBundle: bundles need OpenFlow 1.3, the switch speaks ${versionLabel(this.version)}`,
      );
    }
    const bundleId = this.nextBundleId;
    this.nextBundleId = (this.nextBundleId + 1) >>> 0;
    const flags = BundleFlags.ATOMIC | BundleFlags.ORDERED;
    const control = (type: 'bundle_open_request' | 'bundle_commit_request' | 'bundle_discard_request') =>
      this.request({ type, bundleId, flags, properties: [] } as OutgoingMessage, options);
    const opened = await control('bundle_open_request');
    if (opened.type !== 'bundle_open_reply') {
      throw new OpenflowReplyError(
        this.name,
        { type: 'bundle_open_request', xid: opened.xid },
        `answered ${opened.type}`,
      );
    }
    const errors: OpenflowRequestError[] = [];
    const watchers = batchWatchers(errors);
    const watched: number[] = [];
    const what = `sendInBundle to switch ${this.name}`;
    const out = new BatchWriter(this.connection);
    try {
      for (const m of messages) {
        throwIfCancelled(options.signal, what);
        // OVS wants the bundle-add's xid to be the xid of the message inside it. The add
        // and its message are encoded in one pass, straight into the batch.
        const add = bundled(bundleId, flags, this.withXid(m, this.pending.nextXid()) as Ofp13Message);
        out.add(encodeBundleAdd, add);
        this.pending.watch(add, watchers);
        watched.push(add.xid);
        if (out.full) await out.flush();
      }
      await out.flush();
      // OVS refuses a bad message when it is added and would commit the others: learn of
      // refusals first (they come before the barrier's reply), and then commit all or nothing.
      await this.barrier(options);
      if (errors.length > 0) {
        await control('bundle_discard_request');
        return errors;
      }
      try {
        await control('bundle_commit_request');
      } catch (e) {
        if (!(e instanceof OpenflowRequestError)) throw e;
        errors.push(e);
      }
      return errors;
    } catch (e) {
      // Cancelled or timed out half way: leave nothing open on the switch.
      if (this.isUp) control('bundle_discard_request').catch(() => undefined);
      throw e;
    } finally {
      for (const xid of watched) this.pending.forget(xid);
    }
  }

  /** Sends an echo request and resolves when the switch answers it. */
  async echo(data: Buffer = Buffer.alloc(0), options: RequestOptions = {}): Promise<void> {
    await this.expect<void>({ type: 'echo_request', data }, options, (sent, settle) => ({
      onReply: (reply) =>
        reply.type === 'echo_reply'
          ? settle.resolve()
          : settle.reject(new OpenflowReplyError(this.name, sent, `expected echo_reply, got ${reply.type}`)),
      onError: (e) => settle.reject(e),
    }));
  }

  /**
   * Asks for a controller role: OFPT_ROLE_REQUEST on 1.3, where `generationId` orders
   * master/slave requests from several controllers and the switch refuses a stale one with
   * OFPET_ROLE_REQUEST_FAILED (an OpenflowRequestError); the Nicira role request on 1.0
   * (no generation id, no `nochange`).
   */
  async role(role: RoleName, generationId = 0n, options: RequestOptions = {}): Promise<RoleState> {
    const version = this.version;
    const request = roleRequest(version, role, generationId);
    if ('refused' in request)
      throw this.usage(`role(${role}) on ${versionLabel(version)}: ${request.refused}`);
    return this.expect<RoleState>(request.message, options, (sent, settle) => ({
      onReply: (reply) => {
        const result = roleFromReply(version, reply);
        if ('wrong' in result) settle.reject(new OpenflowReplyError(this.name, sent, result.wrong));
        else settle.resolve(result.state);
      },
      onError: (e) => settle.reject(e),
    }));
  }

  /**
   * Encodes `message` under a fresh xid, registers the wait, writes it (back-pressured), and
   * resolves as `handlers` decide. `check` may refuse the encoded bytes before anything is sent.
   */
  private expect<T>(
    message: OutgoingMessage,
    options: RequestOptions,
    handlers: (sent: OpenflowMessage, settle: Settle<T>) => ReplyHandlers,
    check?: (bytes: Buffer) => void,
  ): Promise<T> {
    let sent: OpenflowMessage;
    let bytes: Buffer;
    try {
      sent = this.withXid(message, this.pending.nextXid());
      bytes = this.encode(sent);
      check?.(bytes);
    } catch (err) {
      return Promise.reject(err);
    }
    const timeoutMs = options.timeoutMs ?? this.ctx.settings.requestTimeoutMs;
    const what = `${sent.type} (xid ${sent.xid}) to switch ${this.name}`;
    const reply = this.pending.expect<T>(sent, { timeoutMs, signal: options.signal, what }, (settle) =>
      handlers(sent, settle),
    );
    this.connection.write(bytes).catch((err: unknown) => {
      this.pending.get(sent.xid)?.fail(err instanceof Error ? err : new Error(String(err)));
    });
    return reply;
  }
}
