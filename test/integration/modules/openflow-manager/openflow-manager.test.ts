import { openflowManagerModule } from '../../../../src/modules/openflow-manager';
import { Runtime } from '../../../../src/modules/runtime';
import { addDummyPort, cleanupAll, freePort, type OvsInstance, startOvs, until } from '../../../harness';

afterAll(cleanupAll);

interface ListedSwitch {
  readonly datapathid: string;
  readonly version: string;
  readonly ports: readonly { readonly portno: number; readonly name: string; readonly mac: string }[];
}

describe('openflowmanager with a private OVS', () => {
  let ovs: OvsInstance;
  let runtime: Runtime;
  let port: number;

  beforeAll(async () => {
    ovs = await startOvs({ dummy: true });
    port = await freePort();
    runtime = new Runtime({
      modules: [openflowManagerModule],
      config: { openflowmanager: { listen: `127.0.0.1:${port}`, echointerval: 1, deadpeertimeout: 1 } },
    });
    await runtime.start();
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  const listed = async () => (await runtime.call('openflowmanager', 'listswitches', {})) as ListedSwitch[];

  it('lists connected switches with version and ports, following port changes', async () => {
    await ovs.addBridge('br0', { controllerPort: port, protocols: 'OpenFlow13' });
    await addDummyPort(ovs, 'p1', { settings: ['ofport_request=7'] });
    const dpid = (await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id')).trim().replace(/"/g, '');
    const sw = await until(async () => {
      const s = (await listed()).find((x) => x.datapathid === dpid);
      return s?.ports.some((p) => p.name === 'p1') ? s : undefined;
    }, 'br0 with p1');
    expect(sw.version).toBe('OpenFlow 1.3');
    const mac = (await ovs.vsctl('get', 'interface', 'p1', 'mac_in_use')).trim().replace(/"/g, '');
    expect(sw.ports.find((p) => p.name === 'p1')).toMatchObject({ portno: 7, mac });
    await ovs.vsctl('del-port', 'br0', 'p1');
    await until(async () => {
      const s = (await listed()).find((x) => x.datapathid === dpid);
      return s && !s.ports.some((p) => p.name === 'p1') ? s : undefined;
    }, 'p1 gone');
  });

  it('speaks OpenFlow 1.0 to a 1.0-only bridge', async () => {
    await ovs.addBridge('br10', { controllerPort: port, protocols: 'OpenFlow10' });
    const dpid = (await ovs.vsctl('get', 'bridge', 'br10', 'datapath_id')).trim().replace(/"/g, '');
    const sw = await until(async () => (await listed()).find((x) => x.datapathid === dpid), 'br10');
    expect(sw.version).toBe('OpenFlow 1.0');
  });

  it('drops a switch whose vswitchd is gone, and takes it back when it returns', async () => {
    await ovs.stopVswitchd();
    await until(async () => ((await listed()).length === 0 ? true : undefined), 'no switches');
    await ovs.startVswitchd();
    await until(async () => ((await listed()).length === 2 ? true : undefined), 'both switches back');
  });

  it('numbers the named tables in pipeline order', async () => {
    const tables = (await runtime.call('openflowmanager', 'listtables', {})) as {
      name: string;
      table: number;
    }[];
    expect(tables.map((t) => t.table)).toEqual(tables.map((_, i) => i));
    expect(tables[0]!.name).toBe('ingress');
  });
});
