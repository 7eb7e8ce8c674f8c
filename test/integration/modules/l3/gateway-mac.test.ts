/**
 * Routing uses the ARP responder's configured gateway MAC (module.arpresponder.gatewaymac),
 * not a default of its own: frames to that MAC are routed and leave with it as source, the
 * default MAC is not taken in.
 */
import { DEFAULT_GATEWAY_MAC } from '../../../../src/modules/arp-responder';
import { addDummyPort, cleanupAll, type OvsInstance, startOvs } from '../../../harness';
import { datapathActions, type L3Controller, startL3Controller, until } from './l3-controller';

afterAll(cleanupAll);

const CUSTOM = '0a:00:00:00:00:fe';

it('routes with the ARP responder’s configured gateway MAC', async () => {
  const ovs: OvsInstance = await startOvs({ dummy: true, systemId: 'l3-gwmac' });
  const c: L3Controller = await startL3Controller(ovs, { gatewayMac: CUSTOM.toUpperCase() });
  await ovs.addBridge('br0', { controllerPort: c.ofPort, protocols: 'OpenFlow13' });
  await c.call('createphysicalnetwork', { id: 'pv', type: 'vlan', vlanrange: [[100, 200]] });
  await c.call('createlogicalnetwork', { id: 'na', physicalnetwork: 'pv', vlanid: 100 });
  await c.call('createlogicalnetwork', { id: 'nb', physicalnetwork: 'pv', vlanid: 101 });
  await c.call('createsubnet', { id: 'sa', logicalnetwork: 'na', cidr: '10.1.0.0/24', gateway: '10.1.0.1' });
  await c.call('createsubnet', { id: 'sb', logicalnetwork: 'nb', cidr: '10.2.0.0/24', gateway: '10.2.0.1' });
  await c.call('createlogicalports', {
    ports: [
      {
        id: 'lpa',
        logicalnetwork: 'na',
        subnet: 'sa',
        mac_address: '02:00:00:00:01:11',
        ip_address: '10.1.0.11',
      },
      {
        id: 'lpb',
        logicalnetwork: 'nb',
        subnet: 'sb',
        mac_address: '02:00:00:00:02:12',
        ip_address: '10.2.0.12',
      },
    ],
  });
  for (const [name, id] of [
    ['pa', 'lpa'],
    ['pb', 'lpb'],
  ] as const)
    await addDummyPort(ovs, name, { ifaceId: id });
  await c.call('createvirtualrouter', { id: 'r1' });
  await c.call('addrouterinterfaces', {
    interfaces: [
      { router: 'r1', subnet: 'sa' },
      { router: 'r1', subnet: 'sb' },
    ],
  });
  const flow = (dst: string) =>
    `in_port=pa,dl_src=02:00:00:00:01:11,dl_dst=${dst},ip,nw_src=10.1.0.11,nw_dst=10.2.0.12,nw_proto=6,nw_ttl=9`;
  const routed = await until(async () => {
    const a = await datapathActions(ovs, 'br0', flow(CUSTOM));
    return a.endsWith('pb') ? a : undefined;
  }, 'routed with the configured MAC');
  expect(routed).toBe(`set(eth(src=${CUSTOM},dst=02:00:00:00:02:12)),set(ipv4(ttl=8)),pb`);
  expect(await datapathActions(ovs, 'br0', flow(DEFAULT_GATEWAY_MAC))).toBe('drop');
});
