/**
 * routerFromView: what the compiler is given from a watchVirtualRouter snapshot — router
 * addresses (explicit ip_address or the gateway), the ports it routes to (only addresses in
 * an attached subnet of their own network, and /32 allowed address pairs one MAC claims),
 * routes (bare addresses as /32), and nothing
 * while the router's map is missing or an interface is half-written.
 */
import { parsePrefix, routerFromView } from '../../../../src/modules/l3';
import { mapKey, objectKey } from '../../../../src/modules/viperflow';
import { routerKey, routerMapKey, routerPortKey } from '../../../../src/modules/vrouter-api';
import type { JsonValue, Key } from '../../../../src/objectdb';

const ref = (k: string) => ({ $ref: k });

function snapshot(): Map<Key, JsonValue | null> {
  const v = new Map<Key, JsonValue | null>();
  const set = (k: string, value: JsonValue | null) => v.set(k as Key, value);
  set(routerMapKey('r1'), {
    id: 'r1',
    router: ref(routerKey('r1')),
    interfaces: [ref(routerPortKey('if-a')), ref(routerPortKey('if-b')), ref(routerPortKey('if-gone'))],
  });
  set(routerKey('r1'), {
    id: 'r1',
    routes: [
      ['192.168.0.0/16', '10.2.0.5'],
      ['172.16.1.1', '10.2.0.5'],
    ],
  });
  set(routerPortKey('if-a'), {
    id: 'if-a',
    router: ref(routerKey('r1')),
    subnet: ref(objectKey('subnet', 'sa')),
  });
  set(routerPortKey('if-b'), {
    id: 'if-b',
    router: ref(routerKey('r1')),
    subnet: ref(objectKey('subnet', 'sb')),
    ip_address: '10.2.0.254',
  });
  set(routerPortKey('if-gone'), null);
  set(objectKey('subnet', 'sa'), {
    id: 'sa',
    cidr: '10.1.0.0/24',
    gateway: '10.1.0.1',
    network: ref(objectKey('logicalnetwork', 'na')),
  });
  set(objectKey('subnet', 'sb'), {
    id: 'sb',
    cidr: '10.2.0.0/24',
    gateway: '10.2.0.1',
    network: ref(objectKey('logicalnetwork', 'nb')),
  });
  set(objectKey('logicalnetwork', 'na'), { id: 'na', nwid: 11 });
  set(objectKey('logicalnetwork', 'nb'), { id: 'nb', nwid: 12 });
  set(mapKey('logicalnetwork', 'na'), {
    ports: [ref(objectKey('logicalport', 'pa')), ref(objectKey('logicalport', 'p-other-subnet'))],
  });
  set(mapKey('logicalnetwork', 'nb'), {
    ports: [ref(objectKey('logicalport', 'pb')), ref(objectKey('logicalport', 'p-noaddr'))],
  });
  set(objectKey('logicalport', 'pa'), {
    id: 'pa',
    ip_address: '10.1.0.11',
    mac_address: '02:00:00:00:01:11',
  });
  // In network na but in a subnet the router does not have.
  set(objectKey('logicalport', 'p-other-subnet'), {
    id: 'p-other-subnet',
    ip_address: '10.9.0.3',
    mac_address: '02:00:00:00:09:03',
  });
  set(objectKey('logicalport', 'pb'), {
    id: 'pb',
    ip_address: '10.2.0.12',
    mac_address: '02:00:00:00:02:12',
  });
  set(objectKey('logicalport', 'p-noaddr'), { id: 'p-noaddr', mac_address: '02:00:00:00:02:99' });
  return v;
}

describe('routerFromView', () => {
  it('reads interfaces, routed ports and routes', () => {
    const view = routerFromView(snapshot(), 'r1')!;
    expect(view.interfaces).toEqual([
      {
        subnetId: objectKey('subnet', 'sa'),
        nwid: 11,
        cidr: parsePrefix('10.1.0.0/24'),
        address: '10.1.0.1',
      },
      {
        subnetId: objectKey('subnet', 'sb'),
        nwid: 12,
        cidr: parsePrefix('10.2.0.0/24'),
        address: '10.2.0.254',
      },
    ]);
    expect(view.ports).toEqual([
      { ip: '10.1.0.11', mac: '02:00:00:00:01:11', nwid: 11 },
      { ip: '10.2.0.12', mac: '02:00:00:00:02:12', nwid: 12 },
    ]);
    expect(view.routes).toEqual([
      { prefix: parsePrefix('192.168.0.0/16'), nexthop: '10.2.0.5' },
      { prefix: parsePrefix('172.16.1.1/32'), nexthop: '10.2.0.5' },
    ]);
    expect([...view.logicalPorts].sort()).toEqual(['p-noaddr', 'p-other-subnet', 'pa', 'pb']);
  });

  it('is undefined without the router map, and skips an interface whose subnet is not there yet', () => {
    const v = snapshot();
    v.delete(routerMapKey('r1'));
    expect(routerFromView(v, 'r1')).toBeUndefined();
    const w = snapshot();
    w.delete(objectKey('subnet', 'sb'));
    const view = routerFromView(w, 'r1')!;
    expect(view.interfaces.map((i) => i.address)).toEqual(['10.1.0.1']);
    expect(view.ports.map((p) => p.ip)).toEqual(['10.1.0.11']);
  });

  it('routes to single addresses of allowed address pairs that one MAC claims and no port owns', () => {
    const v = snapshot();
    const set = (k: string, value: JsonValue) => v.set(k as Key, value);
    set(mapKey('logicalnetwork', 'nb'), {
      ports: ['pb', 'p-noaddr', 'vrrp1', 'vrrp2', 'clash1', 'clash2'].map((id) =>
        ref(objectKey('logicalport', id)),
      ),
    });
    const port = (id: string, mac: string, pairs: JsonValue) =>
      set(objectKey('logicalport', id), { id, mac_address: mac, allowed_address_pairs: pairs });
    // Active and backup of a VRRP address share its virtual MAC: routed to that MAC.
    port('vrrp1', '02:00:00:00:02:21', [{ ip_address: '10.2.0.100', mac_address: '00:00:5E:00:01:07' }]);
    port('vrrp2', '02:00:00:00:02:22', [
      { ip_address: '10.2.0.100', mac_address: '00:00:5e:00:01:07' },
      // A prefix wider than one address is a source exemption, never a next hop.
      { ip_address: '10.2.0.128/25' },
      // Outside every attached subnet of the port's network.
      { ip_address: '10.1.0.200' },
      // A port's own address wins over a pair naming it.
      { ip_address: '10.2.0.12' },
    ]);
    // Two ports claim 10.2.0.101 with their own (different) MACs: ambiguous, not routed.
    port('clash1', '02:00:00:00:02:31', [{ ip_address: '10.2.0.101' }]);
    port('clash2', '02:00:00:00:02:32', [{ ip_address: '10.2.0.101' }]);
    const view = routerFromView(v, 'r1')!;
    expect(view.ports).toEqual([
      { ip: '10.1.0.11', mac: '02:00:00:00:01:11', nwid: 11 },
      { ip: '10.2.0.12', mac: '02:00:00:00:02:12', nwid: 12 },
      { ip: '10.2.0.100', mac: '00:00:5e:00:01:07', nwid: 12 },
    ]);
    // Held, but by no single MAC: not routed, and known as held (no "unreachable" for it).
    expect(view.unroutable).toEqual(['10.2.0.101']);
  });
});
