/** Packet helpers: build and parse the protocols a controller answers in packet-in handling. */
export * from './arp';
export * from './checksum';
export * from './dhcp';
export * from './errors';
export * from './ethernet';
export * from './frame';
export * from './icmp';
export * from './icmpv6';
export * from './ip-protocol';
export * from './ipv4';
export * from './ipv4-address';
export * from './ipv4-originated';
export * from './ipv6';
export * from './ipv6-address';
export * from './mac-address';
export * from './tcp';
export * from './udp';
