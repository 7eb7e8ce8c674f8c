/** The wire size of a DHCP option, to fit replies into what the client accepts. */
import type { DhcpOption } from '../../openflow/packet';

/** Bytes an option takes on the wire (code, length, data). */
export function encodedSize(o: DhcpOption): number {
  switch (o.kind) {
    case 'raw':
      return 2 + o.data.length;
    case 'messageType':
      return 3;
    case 'mtu':
      return 4;
    case 'routers':
    case 'dnsServers':
    case 'ntpServers':
      return 2 + 4 * o.value.length;
    case 'domainName':
    case 'hostname':
      return 2 + Buffer.byteLength(o.value, 'latin1');
    case 'parameterRequestList':
      return 2 + o.value.length;
    case 'clientId':
      return 2 + o.value.length;
    case 'classlessStaticRoutes':
      return 2 + o.value.reduce((n, r) => n + 5 + Math.ceil(r.prefixLength / 8), 0);
    default:
      return 6;
  }
}
