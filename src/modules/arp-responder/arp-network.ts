/**
 * What the ARP responder needs to know of one logical network: its number and the IPv4
 * addresses that have an owner in it (logical ports, subnet gateways), each with the MAC
 * that answers for it.
 */
import type { Ipv4Address } from '../../openflow/packet/ipv4-address';
import type { MacAddress } from '../../openflow/packet/mac-address';

export interface ArpOwner {
  readonly ip: Ipv4Address;
  readonly mac: MacAddress;
  /**
   * `port`: a logical port's own address — its own requests for it (gratuitous ARP,
   * duplicate-address probes) are not answered. `gateway`: a subnet's gateway.
   */
  readonly kind: 'port' | 'gateway';
}

export interface ArpNetwork {
  /** The logical network's `nwid` (the metadata value of its packets). */
  readonly nwid: number;
  readonly owners: readonly ArpOwner[];
}
