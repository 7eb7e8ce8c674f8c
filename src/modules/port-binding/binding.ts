/**
 * A port binding: what an OpenFlow port of a local switch is, for the flow modules — the
 * logical port plugged in there (`external_ids:iface-id`), or the physical port it is
 * (bound by interface name, as VLCP binds physical networks), or the tunnel it ends.
 */
import { type OvsdbPort, sameStringMap } from '../ovsdb-manager';

/** OVS interface types that are tunnel endpoints. */
const TUNNEL_TYPES: ReadonlySet<string> = new Set([
  'vxlan',
  'geneve',
  'gre',
  'ip6gre',
  'erspan',
  'ip6erspan',
  'stt',
  'gtpu',
  'bareudp',
  'lisp',
  'srv6',
]);

/** The OpenFlow number of a bridge's own (LOCAL) port. */
export const LOCAL_PORT = 0xfffe;

export interface TunnelInfo {
  readonly type: string;
  /** options:remote_ip: an address, or `flow` (set per packet). */
  readonly remoteIp: string | undefined;
  readonly localIp: string | undefined;
  /** options:key (or in_key/out_key): a number, or `flow`. */
  readonly key: string | undefined;
  readonly dstPort: string | undefined;
  /** Every option, as OVS holds them. */
  readonly options: Readonly<Record<string, string>>;
}

/** The port as OVSDB reports it, with what it is bound to. */
export interface PortBinding
  extends Pick<
    OvsdbPort,
    'systemId' | 'bridge' | 'datapathId' | 'portNo' | 'name' | 'mac' | 'type' | 'externalIds'
  > {
  /** The logical port plugged in here (`external_ids:iface-id`). */
  readonly logicalPortId: string | undefined;
  /** The interface name when no logical port is plugged in (and it is not the bridge's LOCAL port). */
  readonly physicalPortName: string | undefined;
  readonly tunnel: TunnelInfo | undefined;
}

function tunnelInfo(port: OvsdbPort): TunnelInfo | undefined {
  if (!TUNNEL_TYPES.has(port.type)) return undefined;
  const o = port.options;
  return Object.freeze({
    type: port.type,
    remoteIp: o.remote_ip,
    localIp: o.local_ip,
    key: o.key ?? o.in_key ?? o.out_key,
    dstPort: o.dst_port,
    options: o,
  });
}

export function bindingFromPort(port: OvsdbPort): PortBinding {
  const logicalPortId = port.externalIds['iface-id'] || undefined;
  return Object.freeze({
    systemId: port.systemId,
    bridge: port.bridge,
    datapathId: port.datapathId,
    portNo: port.portNo,
    name: port.name,
    mac: port.mac,
    type: port.type,
    logicalPortId,
    physicalPortName: logicalPortId === undefined && port.portNo !== LOCAL_PORT ? port.name : undefined,
    tunnel: tunnelInfo(port),
    externalIds: port.externalIds,
  });
}

export function sameBinding(a: PortBinding, b: PortBinding): boolean {
  return (
    a.systemId === b.systemId &&
    a.bridge === b.bridge &&
    a.datapathId === b.datapathId &&
    a.portNo === b.portNo &&
    a.name === b.name &&
    a.mac === b.mac &&
    a.type === b.type &&
    a.logicalPortId === b.logicalPortId &&
    sameStringMap(a.externalIds, b.externalIds) &&
    sameStringMap(a.tunnel?.options ?? {}, b.tunnel?.options ?? {})
  );
}
