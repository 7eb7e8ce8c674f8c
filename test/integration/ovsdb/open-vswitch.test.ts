/**
 * The typed views of the Open_vSwitch tables (Open_vSwitch, Bridge, Port, Interface,
 * Controller, Manager) read from an IDL replica, each checked against what ovs-vsctl says.
 */
import {
  bridgeControllers,
  bridgeInterfaces,
  bridges,
  controllers,
  Idl,
  managers,
  OPEN_VSWITCH_TABLES,
  OvsdbClient,
  openVswitch,
  ports,
} from '../../../src/ovsdb';
import { cleanupAll, type OvsInstance, startOvs } from '../../harness';
import { until } from './until';

let ovs: OvsInstance;
let client: OvsdbClient;
beforeAll(async () => {
  ovs = await startOvs({ dummy: true, systemId: 'host-views' });
  client = await OvsdbClient.connect(`unix:${ovs.dbSock}`);
});
afterAll(async () => {
  client.close();
  await cleanupAll();
});

const vsctl = async (...a: string[]) => (await ovs.vsctl(...a)).trim();
const unquote = (s: string) => s.replace(/^"(.*)"$/, '$1');

describe('Open_vSwitch typed views', () => {
  it('agree with ovs-vsctl on every table a controller reads', async () => {
    // Nobody listens on these ports: the controller and manager stay unconnected.
    await ovs.addBridge('brv', { controller: 'tcp:127.0.0.1:1' });
    await ovs.vsctl('add-port', 'brv', 'pv', 'tag=42', '--', 'set', 'interface', 'pv', 'type=internal');
    await ovs.vsctl('set-manager', 'tcp:127.0.0.1:2');
    const idl = new Idl(client, 'Open_vSwitch', OPEN_VSWITCH_TABLES);
    await idl.start();

    expect(openVswitch(idl)!.ovsVersion).toBeUndefined();
    const root = openVswitch(idl)!;
    expect(root.uuid).toBe(await vsctl('get', 'Open_vSwitch', '.', '_uuid'));
    expect(root.systemId).toBe('host-views');
    // An optional column: `[]` when unset (ovs-vswitchd started without --ovs-version info).
    await ovs.vsctl('set', 'Open_vSwitch', '.', 'ovs_version="3.1.0-test"');
    await until(() => openVswitch(idl)?.ovsVersion === '3.1.0-test', 'ovs_version');
    expect(unquote(await vsctl('get', 'Open_vSwitch', '.', 'ovs_version'))).toBe('3.1.0-test');
    const br = bridges(idl).find((b) => b.name === 'brv')!;
    expect(root.bridges).toContain(br.uuid);

    const port = ports(idl).find((p) => p.name === 'pv')!;
    expect(port.uuid).toBe(await vsctl('get', 'port', 'pv', '_uuid'));
    expect(port.tag).toBe(42);
    expect(br.ports).toContain(port.uuid);
    expect(port.interfaces).toEqual([await vsctl('get', 'interface', 'pv', '_uuid')]);
    expect(`[${port.interfaces[0]}]`).toBe(await vsctl('get', 'port', 'pv', 'interfaces'));
    expect(ports(idl).find((p) => p.name === 'brv')!.tag).toBeUndefined();
    await until(
      () =>
        bridgeInterfaces(idl, bridges(idl).find((b) => b.name === 'brv')!).every((i) => (i.ofport ?? 0) > 0),
      'ofports',
    );

    const [ctl] = bridgeControllers(idl, br);
    expect(ctl!.target).toBe('tcp:127.0.0.1:1');
    expect(`[${ctl!.uuid}]`).toBe(await vsctl('get', 'bridge', 'brv', 'controller'));
    expect(ctl!.isConnected).toBe(false);
    expect(controllers(idl).map((c) => c.uuid)).toEqual([ctl!.uuid]);

    const [mgr] = managers(idl);
    expect(mgr!.target).toBe('tcp:127.0.0.1:2');
    expect(mgr!.isConnected).toBe(false);
    expect(`[${mgr!.uuid}]`).toBe(await vsctl('get', 'Open_vSwitch', '.', 'manager_options'));

    // The views follow changes.
    await ovs.vsctl('set', 'port', 'pv', 'tag=7');
    await ovs.vsctl('del-manager');
    await until(() => ports(idl).find((p) => p.name === 'pv')?.tag === 7, 'the new tag');
    // An optional column holds one value at most, whatever the update said before.
    expect(ports(idl).find((p) => p.name === 'pv')!.row.tag).toEqual([7]);
    await ovs.vsctl('clear', 'port', 'pv', 'tag');
    await until(() => ports(idl).find((p) => p.name === 'pv')?.tag === undefined, 'the tag to be cleared');
    expect(ports(idl).find((p) => p.name === 'pv')!.row.tag).toEqual([]);
    await ovs.vsctl('set', 'port', 'pv', 'tag=9');
    await until(() => ports(idl).find((p) => p.name === 'pv')?.tag === 9, 'a tag set again');
    expect(ports(idl).find((p) => p.name === 'pv')!.row.tag).toEqual([9]);
    await until(() => managers(idl).length === 0, 'the manager to go');
  });
});
