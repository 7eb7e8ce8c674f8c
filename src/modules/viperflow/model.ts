/**
 * What viperflow stores. Objects hold their attributes as VLCP does (extra `**kwargs`
 * attributes included) and strong references (`{"$ref": key}`) to their parents; the maps
 * hold the reverse direction (children, allocations) so that a parent never changes when a
 * child is added and a watcher of one logical network sees only its own changes. Maps are
 * mutable: a transaction edits its own decoded copy and writes it back once.
 */
import type { Ref } from '../../objectdb';
import type { AllowedAddressPair } from './address-pairs';

export type NetworkType = 'vlan' | 'vxlan' | 'native';

export interface PhysicalNetworkObject {
  readonly id: string;
  readonly type: string;
  /** vlan: list of [start, end] VLAN ids, both ends included. */
  readonly vlanrange?: readonly (readonly [number, number])[];
  /** vxlan: list of [start, end] VNIs, both ends included. */
  readonly vnirange?: readonly (readonly [number, number])[];
}

/** `viperflow.physicalnetworkmap.<id>` */
export interface PhysicalNetworkMapObject {
  id: string;
  network: Ref;
  logicalnetworks: Ref[];
  ports: Ref[];
  /** VLAN id or VNI (decimal string) -> the logical network holding it. */
  network_allocation: { [id: string]: Ref };
}

export interface PhysicalPortObject {
  readonly name: string;
  readonly vhost: string;
  readonly systemid: string;
  readonly bridge: string;
  readonly physicalnetwork: Ref;
}

export interface LogicalNetworkObject {
  readonly id: string;
  /** The network number flows carry in metadata: cluster-wide unique, assigned at creation. */
  readonly nwid: number;
  readonly physicalnetwork: Ref;
  /** vlan networks */
  readonly vlanid?: number;
  /** vxlan networks */
  readonly vni?: number;
}

/** `viperflow.logicalnetworkmap.<id>` */
export interface LogicalNetworkMapObject {
  id: string;
  network: Ref;
  subnets: Ref[];
  ports: Ref[];
  /** MAC address -> logical port: MACs are unique inside a logical network. */
  mac_addresses: { [mac: string]: Ref };
}

export interface SubnetObject {
  readonly id: string;
  /** The logical network. */
  readonly network: Ref;
  readonly cidr: string;
  readonly allocated_start: string;
  readonly allocated_end: string;
  readonly gateway?: string;
}

/** `viperflow.subnetmap.<id>` */
export interface SubnetMapObject {
  id: string;
  subnet: Ref;
  /** Dotted IPv4 address -> what holds it (a logical port; router ports later). */
  allocated_ips: { [ip: string]: Ref };
}

export interface LogicalPortObject {
  readonly id: string;
  /** The logical network. */
  readonly network: Ref;
  readonly subnet?: Ref;
  readonly mac_address: string;
  readonly ip_address?: string;
  /** Extra sources port security lets through (address-pairs.ts); absent when none. */
  readonly allowed_address_pairs?: readonly AllowedAddressPair[];
}
