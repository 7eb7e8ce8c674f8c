/**
 * What the l2 flow compiler needs to know about one logical network on one datapath: the
 * network's number and encapsulation, its logical ports bound on this datapath (with the
 * OpenFlow port they are plugged into), the MACs of its other ports (on other hosts or not
 * plugged in anywhere yet), and the physical port that carries it here. Plain immutable
 * data: the compiler is a pure function of it.
 */
import type { Ipv4Address } from '../../openflow/packet/ipv4-address';
import type { MacAddress } from '../../openflow/packet/mac-address';
import type { NetworkType } from '../viperflow';

/** One allowed address pair of a port (viperflow's `allowed_address_pairs`), parsed. */
export interface AddressPair {
  /** The prefix's network address (a bare address is a /32). */
  readonly prefix: Ipv4Address;
  readonly length: number;
  /** The source MAC the pair may use; absent: the port's own. */
  readonly mac?: MacAddress;
}

export interface LocalLogicalPort {
  readonly id: string;
  /** The OpenFlow port number it is plugged into on this datapath. */
  readonly portNo: number;
  readonly mac: MacAddress;
  /** Absent while the port has no address: port security then checks the MAC only. */
  readonly ip?: Ipv4Address;
  /** Extra sources port security lets through: a router VM's networks, a VRRP address. */
  readonly pairs?: readonly AddressPair[];
}

export interface RemoteLogicalPort {
  readonly id: string;
  readonly mac: MacAddress;
  /** vxlan networks: the VTEP address of the host the port is bound on (when known). */
  readonly vtep?: Ipv4Address;
}

export interface NetworkView {
  /** The logical network's id (viperflow). */
  readonly id: string;
  /** The cluster-wide network number carried in metadata. */
  readonly nwid: number;
  readonly type: NetworkType;
  /** vlan networks: the 802.1Q VLAN id on the physical port. */
  readonly vlanid?: number;
  /** vxlan networks: the VNI. */
  readonly vni?: number;
  /** Logical ports bound on this datapath, by logical port id. */
  readonly localPorts: ReadonlyMap<string, LocalLogicalPort>;
  /** The network's other logical ports, by logical port id. */
  readonly remotePorts: ReadonlyMap<string, RemoteLogicalPort>;
  /**
   * The OpenFlow port of this datapath that carries the physical network, if any: the
   * physical interface (vlan, native) or the VXLAN tunnel port (vxlan).
   */
  readonly uplink?: number;
  /** vxlan networks: the VTEPs of the other hosts with ports in the network (head-end replication). */
  readonly floodVteps?: readonly Ipv4Address[];
}

/** Table numbers the compiler writes into (from the pipeline's TablePlan). */
export interface L2Tables {
  readonly ingress: number;
  readonly portsecurity: number;
  readonly arp: number;
  readonly l2output: number;
}
