import { arpNetworkFromView } from '../../../../src/modules/arp-responder';
import { type JsonValue, type Key, ref } from '../../../../src/objectdb';
import type { MacAddress } from '../../../../src/openflow/packet/mac-address';

const GW = '02:56:4c:00:00:01' as MacAddress;

function view(entries: Record<string, JsonValue | null>): ReadonlyMap<Key, JsonValue | null> {
  return new Map(Object.entries(entries)) as unknown as ReadonlyMap<Key, JsonValue | null>;
}

describe('arpNetworkFromView', () => {
  const base = {
    'viperflow.logicalnetworkmap.n1': {
      id: 'n1',
      network: ref('viperflow.logicalnetwork.n1'),
      subnets: [ref('viperflow.subnet.s1'), ref('viperflow.subnet.s2')],
      ports: [
        ref('viperflow.logicalport.p1'),
        ref('viperflow.logicalport.p2'),
        ref('viperflow.logicalport.p3'),
      ],
      mac_addresses: {},
    },
    'viperflow.logicalnetwork.n1': {
      id: 'n1',
      nwid: 4,
      physicalnetwork: ref('viperflow.physicalnetwork.pn'),
    },
    'viperflow.subnet.s1': {
      id: 's1',
      network: ref('viperflow.logicalnetwork.n1'),
      cidr: '10.0.0.0/24',
      gateway: '10.0.0.1',
    },
    'viperflow.subnet.s2': { id: 's2', network: ref('viperflow.logicalnetwork.n1'), cidr: '10.0.1.0/24' },
    'viperflow.logicalport.p1': { id: 'p1', mac_address: '02:00:00:00:00:01', ip_address: '10.0.0.5' },
    'viperflow.logicalport.p2': { id: 'p2', mac_address: '02:00:00:00:00:02' },
    'viperflow.logicalport.p3': null,
  };

  it('takes the ports with addresses and the subnets with gateways', () => {
    expect(arpNetworkFromView(view(base), 'n1', GW)).toEqual({
      nwid: 4,
      owners: [
        { ip: '10.0.0.5', mac: '02:00:00:00:00:01', kind: 'port' },
        { ip: '10.0.0.1', mac: GW, kind: 'gateway' },
      ],
    });
  });

  it('is undefined while the map or the network object is missing', () => {
    expect(
      arpNetworkFromView(view({ ...base, 'viperflow.logicalnetworkmap.n1': null }), 'n1', GW),
    ).toBeUndefined();
    expect(
      arpNetworkFromView(view({ ...base, 'viperflow.logicalnetwork.n1': null }), 'n1', GW),
    ).toBeUndefined();
  });
});
