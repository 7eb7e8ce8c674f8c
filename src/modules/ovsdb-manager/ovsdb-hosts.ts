/**
 * The OvsdbManager: one replica per connected OVSDB. Active endpoints get an IdlSession
 * (reconnect with backoff, resync on every connection); passive endpoints accept
 * ovsdb-server connecting to us, and a host that comes back (same system-id, or the same
 * address when it has none) resyncs the replica it had. A host that stays away longer than
 * the grace period has its bridges reported down; when it returns it is reported afresh.
 */
import type { Logger } from 'pino';
import type { Scheduler } from '../../async';
import {
  datumFromWire,
  Idl,
  IdlSession,
  type JsonValue,
  listenOvsdb,
  type OvsdbClient,
  type RowChange,
  type RpcMessage,
} from '../../ovsdb';
import type { Server } from '../../protocol';
import type { OvsdbEndpoint } from './endpoints';
import type { OvsdbBridge, OvsdbChange, OvsdbPort } from './events';
import { HostReplica, OVSDB_MANAGER_TABLES } from './host-replica';
import type { OvsdbConnectionInfo, OvsdbManager } from './ovsdb-manager-service';

const DB = 'Open_vSwitch';

export interface OvsdbHostsOptions {
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  /** How long a host may be away before its bridges are reported down. */
  readonly graceMs: number;
  /** OVSDB echo probe interval (0: none). */
  readonly keepaliveMs?: number;
}

interface Host {
  readonly replica: HostReplica;
  readonly endpoint: OvsdbEndpoint;
  /** For passive hosts: what identifies it when it connects again. */
  readonly key: string | undefined;
  connected: boolean;
  /** Its bridges have been reported down (away longer than the grace period). */
  away: boolean;
  grace: NodeJS.Timeout | undefined;
  /** Passive hosts: the replica, moved to each new connection. */
  idl: Idl | undefined;
  /** The connection in use: only its closing counts as the host going away. */
  client: OvsdbClient | undefined;
}

export class OvsdbHosts implements OvsdbManager {
  private readonly hosts = new Set<Host>();
  private readonly datapaths = new Map<bigint, { readonly host: Host; readonly bridge: OvsdbBridge }>();
  private listeners: ((changes: readonly OvsdbChange[]) => void)[] = [];
  private readonly sessions: IdlSession[] = [];
  private readonly servers: { readonly endpoint: OvsdbEndpoint; readonly server: Server<RpcMessage> }[] = [];
  private stopped = false;

  constructor(
    private readonly endpoints: readonly OvsdbEndpoint[],
    private readonly options: OvsdbHostsOptions,
  ) {}

  /** Starts connecting and listening; a passive endpoint that cannot listen throws (and undoes the rest). */
  async start(): Promise<void> {
    try {
      for (const ep of this.endpoints) {
        if (ep.passive) await this.listen(ep);
        else this.connect(ep);
      }
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const h of this.hosts) clearTimeout(h.grace);
    await Promise.all([...this.sessions.map((s) => s.stop()), ...this.servers.map((s) => s.server.close())]);
  }

  bridges(): OvsdbBridge[] {
    return [...this.datapaths.values()].map((d) => d.bridge);
  }

  bridge(datapathId: bigint): OvsdbBridge | undefined {
    return this.datapaths.get(datapathId)?.bridge;
  }

  ports(datapathId?: bigint): OvsdbPort[] {
    const of = (d: { host: Host; bridge: OvsdbBridge }) => [...d.host.replica.portsOf(d.bridge.uuid)];
    if (datapathId !== undefined) {
      const d = this.datapaths.get(datapathId);
      return d === undefined ? [] : of(d);
    }
    return [...this.datapaths.values()].flatMap(of);
  }

  connections(): OvsdbConnectionInfo[] {
    const out: OvsdbConnectionInfo[] = [...this.hosts].map((h) => ({
      connection: h.replica.connection,
      endpoint: h.endpoint.spec,
      passive: h.endpoint.passive,
      state: h.connected ? 'connected' : 'disconnected',
      systemId: h.replica.systemId,
    }));
    for (const s of this.servers) {
      const port = s.server.port;
      out.push({
        connection: s.endpoint.spec,
        endpoint: s.endpoint.spec,
        passive: true,
        state: 'listening',
        systemId: undefined,
        ...(port !== undefined ? { listeningPort: port } : {}),
      });
    }
    return out;
  }

  subscribe(listener: (changes: readonly OvsdbChange[]) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private newHost(endpoint: OvsdbEndpoint, connection: string, key: string | undefined): Host {
    const host: Host = {
      replica: new HostReplica(connection),
      endpoint,
      key,
      connected: false,
      away: false,
      grace: undefined,
      idl: undefined,
      client: undefined,
    };
    this.hosts.add(host);
    return host;
  }

  private onRows(host: Host, changes: readonly RowChange[]): void {
    this.publish(host, host.replica.apply(changes));
  }

  private publish(host: Host, changes: readonly OvsdbChange[]): void {
    if (changes.length === 0) return;
    for (const c of changes) {
      if (c.type !== 'ovsdbmanager.bridge') continue;
      const dpid = c.datapathId;
      if (c.state === 'down') {
        if (this.datapaths.get(dpid)?.host === host) this.datapaths.delete(dpid);
        continue;
      }
      const other = this.datapaths.get(dpid);
      if (other !== undefined && other.host !== host) {
        this.options.logger.warn(
          { datapathId: dpid.toString(16), bridge: c.bridge.name, connection: host.replica.connection },
          `datapath id is already reported by bridge ${other.bridge.name} on ${other.host.replica.connection}`,
        );
      }
      this.datapaths.set(dpid, { host, bridge: c.bridge });
    }
    for (const c of changes) this.options.scheduler.emit(c);
    for (const l of this.listeners) {
      try {
        l(changes);
      } catch (err) {
        this.options.logger.error({ err }, 'an OVSDB change listener threw');
      }
    }
  }

  private connected(host: Host, client: OvsdbClient): void {
    host.connected = true;
    host.client = client;
    clearTimeout(host.grace);
    host.grace = undefined;
    if (host.away) {
      host.away = false;
      this.publish(host, host.replica.refresh());
    }
    this.options.logger.info(
      { connection: host.replica.connection, systemId: host.replica.systemId },
      'OVSDB connected',
    );
    client.connection.closed.then((reason) => {
      if (host.client === client) this.disconnected(host, reason);
    });
  }

  private disconnected(host: Host, reason: string): void {
    if (this.stopped || !host.connected) return;
    host.client = undefined;
    host.connected = false;
    this.options.logger.warn({ connection: host.replica.connection, reason }, 'OVSDB connection lost');
    this.startGrace(host);
  }

  private startGrace(host: Host): void {
    clearTimeout(host.grace);
    host.grace = setTimeout(() => {
      host.grace = undefined;
      host.away = true;
      this.options.logger.warn(
        { connection: host.replica.connection, systemId: host.replica.systemId },
        'OVSDB host away past the grace period: its bridges are down',
      );
      this.publish(host, host.replica.silence());
      // A passive host that returns is a new connection; an active one resyncs its session.
      if (host.endpoint.passive) this.hosts.delete(host);
    }, this.options.graceMs);
    host.grace.unref();
  }

  private connect(ep: OvsdbEndpoint): void {
    const host = this.newHost(ep, ep.spec, undefined);
    const session: IdlSession = new IdlSession(ep.endpoint, DB, OVSDB_MANAGER_TABLES, {
      ...(this.options.keepaliveMs !== undefined ? { keepaliveMs: this.options.keepaliveMs } : {}),
      onSync: (error) => {
        if (error !== undefined) {
          this.options.logger.warn(
            { connection: ep.spec, err: error instanceof Error ? error.message : String(error) },
            'OVSDB synchronisation failed; reconnecting',
          );
          return;
        }
        const client = session.client;
        if (client !== undefined) this.connected(host, client);
      },
    });
    session.idl.onChange((changes) => this.onRows(host, changes));
    this.sessions.push(session);
    session.start();
    // The session retries quietly; say so once if the endpoint stays unreachable.
    setTimeout(() => {
      if (!this.stopped && !host.connected)
        this.options.logger.warn({ connection: ep.spec }, 'OVSDB endpoint not reachable yet; still trying');
    }, 10_000).unref();
  }

  private async listen(ep: OvsdbEndpoint): Promise<void> {
    const server = await listenOvsdb(ep.endpoint, {
      ...(this.options.keepaliveMs !== undefined ? { keepaliveMs: this.options.keepaliveMs } : {}),
      onClient: (client) => {
        this.accept(ep, client).catch((err: unknown) => {
          this.options.logger.warn(
            {
              endpoint: ep.spec,
              remote: client.connection.remote,
              err: err instanceof Error ? err.message : String(err),
            },
            'OVSDB connection from a switch failed to synchronise',
          );
          client.close();
        });
      },
    });
    this.servers.push({ endpoint: ep, server });
    this.options.logger.info({ endpoint: ep.spec, port: server.port }, 'accepting OVSDB connections');
  }

  private async accept(ep: OvsdbEndpoint, client: OvsdbClient): Promise<void> {
    const remote = client.connection.remote;
    const systemId = await readSystemId(client);
    const key = systemId !== undefined ? `system-id ${systemId}` : `address ${remote.replace(/:\d+$/, '')}`;
    // Matched across passive endpoints: a switch may reach us through more than one.
    let host = [...this.hosts].find((h) => h.endpoint.passive && h.key === key);
    // The same switch on a second connection (two manager targets reaching us, or a new
    // connection while the old one is half-open): a standby until the one in use closes,
    // so one switch is one replica and its events are never doubled.
    while (host?.client !== undefined) {
      this.options.logger.info(
        { connection: host.replica.connection, remote },
        'second OVSDB connection from a switch: standby',
      );
      const inUse = host.client;
      const closed = await Promise.race([
        inUse.connection.closed.then(() => false),
        client.connection.closed.then(() => true),
      ]);
      if (closed || this.stopped) return;
      if (host.client === inUse) {
        // Closed, whether or not its own close handler has run yet.
        if (host.connected) this.disconnected(host, 'connection closed');
        host.client = undefined;
      }
    }
    if (host?.idl !== undefined) {
      // Claimed: the grace period waits for this resync.
      host.client = client;
      clearTimeout(host.grace);
      host.grace = undefined;
      try {
        await host.idl.resync(client);
      } catch (e) {
        if (host.client === client) {
          host.client = undefined;
          if (!this.stopped) this.startGrace(host);
        }
        throw e;
      }
    } else {
      host = this.newHost(ep, `${ep.spec} ${systemId !== undefined ? `system-id=${systemId}` : remote}`, key);
      const h = host;
      h.client = client;
      const idl = new Idl(client, DB, OVSDB_MANAGER_TABLES);
      idl.onChange((changes) => this.onRows(h, changes));
      h.idl = idl;
      try {
        await idl.start();
      } catch (e) {
        this.hosts.delete(h);
        throw e;
      }
    }
    if (this.stopped) return;
    this.connected(host, client);
  }
}

/** The host's system-id, read before monitoring to find the replica of a returning host. */
async function readSystemId(client: OvsdbClient): Promise<string | undefined> {
  const [result] = (await client.transact(DB, [
    { op: 'select', table: 'Open_vSwitch', where: [], columns: ['external_ids'] },
  ])) as [{ rows?: { external_ids?: JsonValue }[] }];
  const ids = result.rows?.[0]?.external_ids;
  if (ids === undefined) return undefined;
  const m = datumFromWire(ids);
  const id = m instanceof Map ? m.get('system-id') : undefined;
  return typeof id === 'string' ? id : undefined;
}
