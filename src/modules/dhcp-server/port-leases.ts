/**
 * The leases of the logical ports bound on this controller's switches, kept current: one
 * ObjectDB watch per bound port (its logical port object and the two objects a lease reads
 * besides it: its subnet and logical network, nothing further), and per port one FlowSync
 * owner holding its single DHCP flow. A port that appears, disappears or changes touches
 * only its own flow (O(1) per change); a subnet or network change that no lease reads (a
 * router attached) stops at a signature comparison per port, recomputing nothing.
 */
import type { Logger } from 'pino';
import {
  asObject,
  type JsonObject,
  type Key,
  type ObjectDb,
  toKey,
  type Watch,
  type WatchSnapshot,
} from '../../objectdb';
import { type DatapathId, toDatapathId } from '../../openflow/protocol';
import type { FlowSyncApi } from '../flowsync';
import type { PortBinding, PortBindingChange, PortBindings } from '../port-binding';
import { objectKey } from '../viperflow';
import { dhcpFlowOwner, dhcpPortFlow } from './dhcp-flow';
import { type LeaseDefaults, type LeaseResult, leaseInputSignature, leaseRefs, resolveLease } from './lease';

interface Entry {
  readonly key: string;
  readonly datapathId: DatapathId;
  readonly portNo: number;
  readonly logicalPortId: string;
  binding: PortBinding;
  watch: Watch | undefined;
  offWatch: (() => void) | undefined;
  /** Undefined until the first snapshot arrives. */
  result: LeaseResult | undefined;
  /** What the last lease was computed from (the port object, signatures of the others). */
  inputs: LeaseInputs | undefined;
  /** The flow declared last (its match and body), to skip identical declarations. */
  declared: string;
  closed: boolean;
}

interface LeaseInputs {
  readonly port: JsonObject | undefined;
  readonly subnet: string;
  readonly network: string;
}

export interface PortLeasesDeps {
  readonly db: ObjectDb;
  readonly bindings: PortBindings;
  readonly sync: FlowSyncApi;
  /** The number of table `dhcp`. */
  readonly table: number;
  readonly defaults: LeaseDefaults;
  readonly logger: Logger;
}

/** Where a packet-in came from, and what the server knows of it. */
export type PortLookup =
  | { readonly kind: 'unbound' }
  | { readonly kind: 'loading'; readonly logicalPortId: string }
  | { readonly kind: 'known'; readonly logicalPortId: string; readonly result: LeaseResult };

const portKey = (dpid: bigint, portNo: number) => `${dpid.toString(16)}:${portNo}`;

export class PortLeases {
  private readonly entries = new Map<string, Entry>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: PortLeasesDeps) {}

  start(): void {
    // Read, then subscribe in the same tick: nothing missed, nothing seen twice.
    for (const b of this.deps.bindings.list()) this.bind(b);
    this.unsubscribe = this.deps.bindings.subscribe((changes) => {
      for (const c of changes) this.apply(c);
    });
  }

  stop(): void {
    this.unsubscribe?.();
    for (const e of this.entries.values()) this.close(e);
    this.entries.clear();
  }

  /** What is known of the port a packet came in on. */
  lookup(datapathId: bigint, portNo: number): PortLookup {
    const binding = this.deps.bindings.byPort(datapathId, portNo);
    const lp = binding?.logicalPortId;
    if (lp === undefined) return { kind: 'unbound' };
    const e = this.entries.get(portKey(datapathId, portNo));
    if (e === undefined || e.logicalPortId !== lp || e.result === undefined)
      return { kind: 'loading', logicalPortId: lp };
    return { kind: 'known', logicalPortId: lp, result: e.result };
  }

  /** How many ports have a flow declared (tests, status). */
  served(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.declared !== '') n++;
    return n;
  }

  private apply(c: PortBindingChange): void {
    const key = portKey(c.datapathId, c.portNo);
    const e = this.entries.get(key);
    if (c.change === 'removed') {
      if (e && e.logicalPortId === c.logicalPortId) this.unbind(e);
      return;
    }
    if (e && e.logicalPortId === c.binding.logicalPortId) {
      e.binding = c.binding;
      return;
    }
    if (e) this.unbind(e);
    this.bind(c.binding);
  }

  private bind(b: PortBinding): void {
    const lp = b.logicalPortId;
    if (lp === undefined) return;
    const e: Entry = {
      key: portKey(b.datapathId, b.portNo),
      datapathId: toDatapathId(b.datapathId),
      portNo: b.portNo,
      logicalPortId: lp,
      binding: b,
      watch: undefined,
      offWatch: undefined,
      result: undefined,
      inputs: undefined,
      declared: '',
      closed: false,
    };
    this.entries.set(e.key, e);
    let root: Key;
    try {
      root = objectKey('logicalport', lp);
    } catch (err) {
      this.deps.logger.debug({ err, logicalPort: lp }, 'iface-id is not a valid logical port id');
      e.result = { ok: false, reason: `iface-id ${JSON.stringify(lp)} is not a valid logical port id` };
      return;
    }
    this.deps.db
      // Only the port's own references: its subnet's router (and what that references)
      // would make every port of an attached subnet watch the router.
      .watchWalk([root], (k, v) => (k === root ? leaseKeys(asObject(v)) : []))
      .then(
        (watch) => {
          if (e.closed) {
            watch.close();
            return;
          }
          e.watch = watch;
          e.offWatch = watch.onChange((s) => this.update(e, root, s));
          if (watch.current().seq >= 0) this.update(e, root, watch.current());
        },
        (err: unknown) => this.deps.logger.error({ err, logicalPort: lp }, 'cannot watch logical port'),
      );
  }

  private update(e: Entry, root: Key, snap: WatchSnapshot): void {
    if (e.closed) return;
    const port = asObject(snap.values.get(root));
    const refs = leaseRefs(port);
    const subnet = refs.subnet ? asObject(snap.values.get(toKey(refs.subnet))) : undefined;
    const network = refs.network ? asObject(snap.values.get(toKey(refs.network))) : undefined;
    const inputs: LeaseInputs = {
      port,
      subnet: leaseInputSignature(subnet),
      network: leaseInputSignature(network),
    };
    const last = e.inputs;
    if (last && last.port === port && last.subnet === inputs.subnet && last.network === inputs.network)
      return;
    e.inputs = inputs;
    const result: LeaseResult =
      port === undefined
        ? { ok: false, reason: `logical port ${e.logicalPortId} is not in the store` }
        : resolveLease({ port, subnet, network }, this.deps.defaults);
    e.result = result;
    const flows = result.ok
      ? [dhcpPortFlow(this.deps.table, e.portNo, result.lease.mac, result.lease.nwid)]
      : [];
    const declared = flows.map((f) => `${f.match}|${f.body}|${f.cookie}`).join();
    if (result.ok && result.lease.skipped.length > 0)
      this.deps.logger.warn(
        { logicalPort: e.logicalPortId, skipped: result.lease.skipped },
        'DHCP options left out of the lease',
      );
    if (!result.ok)
      this.deps.logger.debug({ logicalPort: e.logicalPortId, reason: result.reason }, 'no DHCP lease');
    if (declared === e.declared) return;
    e.declared = declared;
    this.deps.sync.replace(dhcpFlowOwner(e.datapathId, e.portNo), e.datapathId, flows);
  }

  private unbind(e: Entry): void {
    this.close(e);
    this.entries.delete(e.key);
    if (e.declared !== '') this.deps.sync.replace(dhcpFlowOwner(e.datapathId, e.portNo), e.datapathId, []);
  }

  private close(e: Entry): void {
    e.closed = true;
    e.offWatch?.();
    e.watch?.close();
  }
}

/** The keys a port's lease reads besides the port: its subnet and logical network. */
function leaseKeys(port: JsonObject | undefined): Key[] {
  const refs = leaseRefs(port);
  return [refs.subnet, refs.network].filter((r): r is string => r !== undefined).map(toKey);
}
