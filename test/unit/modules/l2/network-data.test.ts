/** Parsing a logical network's watch snapshot: what the compiler needs, malformed values skipped. */
import fc from 'fast-check';
import { parseNetwork, parseTunnels } from '../../../../src/modules/l2';
import { type JsonValue, toKey, type WatchSnapshot } from '../../../../src/objectdb';

const snap = (entries: Record<string, JsonValue | null>): WatchSnapshot => ({
  seq: 1,
  values: new Map(Object.entries(entries).map(([k, v]) => [toKey(k), v])),
});
const ref = (k: string) => ({ $ref: k });

const network = (ports: Record<string, JsonValue>, over: Record<string, JsonValue | null> = {}) =>
  snap({
    'viperflow.logicalnetworkmap.n1': {
      id: 'n1',
      network: ref('viperflow.logicalnetwork.n1'),
      subnets: [],
      ports: Object.keys(ports).map((k) => ref(k)),
      mac_addresses: {},
    },
    'viperflow.logicalnetwork.n1': {
      id: 'n1',
      nwid: 4,
      physicalnetwork: ref('viperflow.physicalnetwork.p'),
      vlanid: 7,
    },
    'viperflow.physicalnetwork.p': { id: 'p', type: 'vlan', vlanrange: [[1, 10]] },
    ...ports,
    ...over,
  });

describe('parseNetwork', () => {
  it('reads nwid, type, VLAN id, physical network and ports (MACs lower-cased)', () => {
    const d = parseNetwork(
      'n1',
      network({
        'viperflow.logicalport.a': {
          id: 'a',
          network: ref('viperflow.logicalnetwork.n1'),
          mac_address: '02:00:00:00:00:AA',
          ip_address: '10.0.0.1',
        },
        'viperflow.logicalport.b': {
          id: 'b',
          network: ref('viperflow.logicalnetwork.n1'),
          mac_address: '02:00:00:00:00:bb',
        },
      }),
      undefined,
    );
    expect(d).toMatchObject({ nwid: 4, type: 'vlan', vlanid: 7, vni: undefined, physicalNetworkId: 'p' });
    expect([...d!.ports.values()]).toEqual([
      { id: 'a', mac: '02:00:00:00:00:aa', ip: '10.0.0.1' },
      { id: 'b', mac: '02:00:00:00:00:bb' },
    ]);
  });

  it('keeps the objects of unchanged ports, so the compile cache hits', () => {
    const ports = { 'viperflow.logicalport.a': { id: 'a', mac_address: '02:00:00:00:00:01' } };
    const first = parseNetwork('n1', network(ports), undefined)!;
    const again = parseNetwork('n1', network(ports), first)!;
    expect(again.ports.get('a')).toBe(first.ports.get('a'));
    const changed = parseNetwork(
      'n1',
      network({ 'viperflow.logicalport.a': { id: 'a', mac_address: '02:00:00:00:00:02' } }),
      first,
    )!;
    expect(changed.ports.get('a')).not.toBe(first.ports.get('a'));
  });

  it('skips ports with a bad MAC or address, and is undefined without the network or its physical network', () => {
    const d = parseNetwork(
      'n1',
      network({
        'viperflow.logicalport.a': { id: 'a', mac_address: 'not-a-mac' },
        'viperflow.logicalport.b': { id: 'b', mac_address: '02:00:00:00:00:02', ip_address: '999.1.1.1' },
      }),
      undefined,
    )!;
    expect([...d.ports.values()]).toEqual([{ id: 'b', mac: '02:00:00:00:00:02' }]);
    expect(parseNetwork('n1', snap({}), undefined)).toBeUndefined();
    const noPhysical = network({}, { 'viperflow.physicalnetwork.p': null });
    expect(parseNetwork('n1', noPhysical, undefined)).toBeUndefined();
  });

  it('property: any JSON in any of the keys never throws', () => {
    const keys = [
      'viperflow.logicalnetworkmap.n1',
      'viperflow.logicalnetwork.n1',
      'viperflow.physicalnetwork.p',
      'viperflow.logicalport.a',
    ];
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 4, maxLength: 4 }), (values) => {
        const s = network(
          { 'viperflow.logicalport.a': { id: 'a', mac_address: '02:00:00:00:00:01' } },
          Object.fromEntries(keys.map((k, i) => [k, values[i] as JsonValue])),
        );
        parseNetwork('n1', s, undefined);
        parseTunnels(s);
      }),
    );
  });
});

describe('parseTunnels', () => {
  it('reads port locations and host VTEPs; ignores malformed entries', () => {
    const t = parseTunnels(
      snap({
        'l2.location.a': { logicalport: 'a', systemid: 'h1' },
        'l2.location.b': { systemid: 'h2' },
        'l2.vtep.h1': { systemid: 'h1', address: '192.0.2.1' },
        'l2.vtep.h2': { systemid: 'h2', address: 'nope' },
      }),
    );
    expect([...t.locations]).toEqual([['a', 'h1']]);
    expect([...t.vteps]).toEqual([['h1', '192.0.2.1']]);
  });
});
