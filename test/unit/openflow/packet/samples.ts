/** Plain packets for tests that care about a field or two; every other field at its neutral value. */
import { BootpOp, type DhcpPacket, type Ipv4Address, parseMacAddress } from '../../../../src/openflow/packet';

const ANY = '0.0.0.0' as Ipv4Address;

/** A BOOTREQUEST from 02:00:00:00:00:01, xid 1, no addresses and no options, with `fields` over it. */
export function sampleDhcp(fields: Partial<DhcpPacket> = {}): DhcpPacket {
  return {
    op: BootpOp.REQUEST,
    hops: 0,
    xid: 1,
    secs: 0,
    flags: 0,
    ciaddr: ANY,
    yiaddr: ANY,
    siaddr: ANY,
    giaddr: ANY,
    chaddr: parseMacAddress('02:00:00:00:00:01'),
    sname: '',
    file: '',
    options: [],
    ...fields,
  };
}
