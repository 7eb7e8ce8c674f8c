/**
 * A port of type `dummy` on a bridge of a private OVS: no device and no traffic of its own,
 * but OVSDB, OpenFlow and `ofproto/trace` see it like any other (a "VM" port for flow tests).
 */
import { join } from 'node:path';
import type { OvsInstance } from './ovs';

export interface DummyPortOptions {
  /** Default `br0`. */
  readonly bridge?: string;
  /** `external_ids:iface-id`: the logical port it binds to. */
  readonly ifaceId?: string;
  /** Records what the switch sends out of it in `DIR/NAME-tx.pcap` (`options:tx_pcap`). */
  readonly txPcap?: boolean;
  /** More `interface` settings (`ofport_request=3`, `external_ids:attached-mac=...`). */
  readonly settings?: readonly string[];
}

/** Where a port added with `txPcap` records what the switch sends out of it. */
export const txPcapPath = (ovs: Pick<OvsInstance, 'dir'>, name: string) => join(ovs.dir, `${name}-tx.pcap`);

/** `ovs-vsctl` arguments adding the port (to batch many into one transaction with `--`). */
export function dummyPortArgs(
  ovs: Pick<OvsInstance, 'dir'>,
  name: string,
  o: DummyPortOptions = {},
): string[] {
  return [
    'add-port',
    o.bridge ?? 'br0',
    name,
    '--',
    'set',
    'interface',
    name,
    'type=dummy',
    ...(o.ifaceId !== undefined ? [`external_ids:iface-id=${o.ifaceId}`] : []),
    ...(o.txPcap ? [`options:tx_pcap=${txPcapPath(ovs, name)}`] : []),
    ...(o.settings ?? []),
  ];
}

export async function addDummyPort(ovs: OvsInstance, name: string, o: DummyPortOptions = {}): Promise<void> {
  await ovs.vsctl(...dummyPortArgs(ovs, name, o));
}
