/** IP protocol numbers (IPv4 protocol field / IPv6 next header). */
export const IpProtocol = {
  HOPOPT: 0,
  ICMP: 1,
  TCP: 6,
  UDP: 17,
  IPV6_ROUTE: 43,
  IPV6_FRAG: 44,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  IPV6_NONXT: 59,
  IPV6_OPTS: 60,
} as const;
