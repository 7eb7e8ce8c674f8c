/**
 * The join of OVSDB ports with what they bind, kept incrementally: each port change costs
 * O(1) (a few map operations), whatever the number of ports. Indexes: (datapath, port
 * number), (datapath, interface name), and logical port id → where it is.
 */
import type { OvsdbChange } from '../ovsdb-manager';
import { bindingFromPort, type PortBinding, sameBinding } from './binding';
import { type BindingChange, type PortBindingChange, PortBindingEvent } from './events';

const NOWHERE: readonly PortBinding[] = Object.freeze([]);

export class BindingTable {
  private readonly byPortNo = new Map<bigint, Map<number, PortBinding>>();
  private readonly byNameIndex = new Map<bigint, Map<string, PortBinding>>();
  /** Replaced, never changed, on each add or remove: whereIs hands it out without a copy. */
  private readonly byLogical = new Map<string, readonly PortBinding[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  byPort(datapathId: bigint, portNo: number): PortBinding | undefined {
    return this.byPortNo.get(datapathId)?.get(portNo);
  }

  byName(datapathId: bigint, name: string): PortBinding | undefined {
    return this.byNameIndex.get(datapathId)?.get(name);
  }

  whereIs(logicalPortId: string): readonly PortBinding[] {
    return this.byLogical.get(logicalPortId) ?? NOWHERE;
  }

  /** Bindings of one datapath, one logical port, both, or all. */
  list(filter: { readonly datapathId?: bigint; readonly logicalPortId?: string } = {}): PortBinding[] {
    const { datapathId, logicalPortId } = filter;
    if (logicalPortId !== undefined) {
      return this.whereIs(logicalPortId).filter(
        (b) => datapathId === undefined || b.datapathId === datapathId,
      );
    }
    if (datapathId !== undefined) return [...(this.byPortNo.get(datapathId)?.values() ?? [])];
    return [...this.byPortNo.values()].flatMap((m) => [...m.values()]);
  }

  /** Applies the OVSDB manager's changes; returns the binding changes they make, in order. */
  apply(changes: readonly OvsdbChange[]): PortBindingChange[] {
    const out: PortBindingChange[] = [];
    for (const c of changes) {
      // Bridges going down first report their ports removed; nothing to do for the bridge itself.
      if (c.type !== 'ovsdbmanager.port') continue;
      const old = this.byPort(c.datapathId, c.portNo);
      if (c.change === 'removed') {
        if (old !== undefined) out.push(this.remove(old));
        continue;
      }
      const now = bindingFromPort(c.port);
      if (old === undefined) {
        out.push(this.add(now, 'added', undefined));
      } else if (old.logicalPortId !== now.logicalPortId || old.name !== now.name) {
        out.push(this.remove(old));
        out.push(this.add(now, 'added', undefined));
      } else if (!sameBinding(old, now)) {
        this.unindex(old);
        out.push(this.add(now, 'updated', old));
      }
    }
    return out;
  }

  private add(b: PortBinding, change: BindingChange, old: PortBinding | undefined): PortBindingChange {
    let ports = this.byPortNo.get(b.datapathId);
    if (ports === undefined) {
      ports = new Map();
      this.byPortNo.set(b.datapathId, ports);
    }
    ports.set(b.portNo, b);
    let names = this.byNameIndex.get(b.datapathId);
    if (names === undefined) {
      names = new Map();
      this.byNameIndex.set(b.datapathId, names);
    }
    names.set(b.name, b);
    if (b.logicalPortId !== undefined) {
      const at = this.byLogical.get(b.logicalPortId) ?? NOWHERE;
      if (!at.includes(b)) this.byLogical.set(b.logicalPortId, Object.freeze([...at, b]));
    }
    if (old === undefined) this.count++;
    return PortBindingEvent.create({
      change,
      logicalPortId: b.logicalPortId,
      datapathId: b.datapathId,
      portNo: b.portNo,
      binding: b,
      old,
    });
  }

  private remove(b: PortBinding): PortBindingChange {
    this.unindex(b);
    this.count--;
    return PortBindingEvent.create({
      change: 'removed',
      logicalPortId: b.logicalPortId,
      datapathId: b.datapathId,
      portNo: b.portNo,
      binding: b,
      old: undefined,
    });
  }

  private unindex(b: PortBinding): void {
    const ports = this.byPortNo.get(b.datapathId);
    ports?.delete(b.portNo);
    if (ports?.size === 0) this.byPortNo.delete(b.datapathId);
    const names = this.byNameIndex.get(b.datapathId);
    if (names?.get(b.name) === b) names.delete(b.name);
    if (names?.size === 0) this.byNameIndex.delete(b.datapathId);
    if (b.logicalPortId !== undefined) {
      const at = (this.byLogical.get(b.logicalPortId) ?? NOWHERE).filter((x) => x !== b);
      if (at.length === 0) this.byLogical.delete(b.logicalPortId);
      else this.byLogical.set(b.logicalPortId, Object.freeze(at));
    }
  }
}
