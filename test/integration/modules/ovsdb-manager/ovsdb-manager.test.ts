/**
 * ovsdbmanager against private OVS instances: over the unix socket, over TCP, and passive
 * (ovsdb-server connecting to us after set-manager). What it reports is checked against
 * what ovs-vsctl prints.
 */

import { OvsdbBridgeEvent, type OvsdbPort, OvsdbPortEvent } from '../../../../src/modules/ovsdb-manager';
import { ApiInputError } from '../../../../src/modules/runtime';
import { addDummyPort, cleanupAll, freePort, startOvs } from '../../../harness';
import { startController, startOvsdbServer, stopOvsdbServer, until, vsctlGet } from './controller';

afterAll(cleanupAll);

describe('ovsdbmanager', () => {
  it('over the unix socket: bridges with the datapath id OVS shows, ports with their ofport, MAC, external_ids, options', async () => {
    const ovs = await startOvs({ dummy: true, systemId: 'host-a' });
    await ovs.addBridge('br0');
    const c = await startController(`unix:${ovs.dbSock}`);
    try {
      const dpid = BigInt(`0x${await vsctlGet(ovs, 'bridge', 'br0', 'datapath_id')}`);
      const up = await until(
        () => c.events.find((e) => OvsdbBridgeEvent.is(e) && e.state === 'up' && e.bridge.name === 'br0'),
        'br0 up',
      );
      expect(up).toMatchObject({
        datapathId: dpid,
        systemId: 'host-a',
        bridge: { name: 'br0', datapathId: dpid },
      });
      expect(c.manager.bridge(dpid)?.name).toBe('br0');

      await addDummyPort(ovs, 'p1', {
        ifaceId: 'lp1',
        settings: ['external_ids:attached-mac=02:00:00:00:00:01'],
      });
      const ofport = Number(await vsctlGet(ovs, 'interface', 'p1', 'ofport'));
      const mac = await vsctlGet(ovs, 'interface', 'p1', 'mac_in_use');
      const added = await until(
        () => c.events.find((e) => OvsdbPortEvent.is(e) && e.change === 'added' && e.name === 'p1'),
        'p1 added',
      );
      expect(added).toMatchObject({
        datapathId: dpid,
        portNo: ofport,
        port: {
          systemId: 'host-a',
          bridge: 'br0',
          name: 'p1',
          mac,
          type: 'dummy',
          externalIds: { 'iface-id': 'lp1', 'attached-mac': '02:00:00:00:00:01' },
        },
      });
      await until(() => c.bindings.whereIs('lp1').length > 0, 'binding of lp1');
      expect(await c.runtime.call('portbinding', 'whereis', { logicalport: 'lp1' })).toEqual([
        { systemId: 'host-a', bridge: 'br0', datapathId: dpid, portNo: ofport, name: 'p1' },
      ]);

      // A tunnel port: its options come through, and portbinding reads them as tunnel info.
      await ovs.vsctl(
        'add-port',
        'br0',
        'vx1',
        '--',
        'set',
        'interface',
        'vx1',
        'type=vxlan',
        'options:remote_ip=10.0.0.2',
        'options:local_ip=10.0.0.1',
        'options:key=5001',
      );
      const vxPort = Number(await vsctlGet(ovs, 'interface', 'vx1', 'ofport'));
      const vx = await until(() => c.bindings.byName(dpid, 'vx1'), 'vx1 bound');
      expect(vx).toMatchObject({
        portNo: vxPort,
        logicalPortId: undefined,
        physicalPortName: 'vx1',
        tunnel: { type: 'vxlan', remoteIp: '10.0.0.2', localIp: '10.0.0.1', key: '5001' },
      });

      // The APIs: every port of the datapath with the numbers ovs-vsctl shows.
      const listed = (await c.runtime.call('ovsdbmanager', 'listports', {
        datapathid: dpid.toString(),
      })) as OvsdbPort[];
      const names = (await ovs.vsctl('--bare', '--columns=name,ofport', 'list', 'interface'))
        .trim()
        .split(/\n\s*\n/);
      const fromVsctl = names.map((block) => {
        const [name, no] = block.split('\n');
        return [name!.trim(), Number(no)];
      });
      expect(listed.map((p) => [p.name, p.portNo]).sort()).toEqual(fromVsctl.sort());
      expect(
        await c.runtime.call('ovsdbmanager', 'listports', { datapathid: `0x${dpid.toString(16)}` }),
      ).toEqual(listed);
      expect(await c.runtime.call('ovsdbmanager', 'listbridges', {})).toEqual([
        expect.objectContaining({
          name: 'br0',
          datapathId: dpid,
          datapathIdHex: dpid.toString(16).padStart(16, '0'),
        }),
      ]);
      await expect(
        c.runtime.call('ovsdbmanager', 'listports', { datapathid: '12345' }),
      ).rejects.toBeInstanceOf(ApiInputError);
      expect(await c.runtime.call('ovsdbmanager', 'listconnections', {})).toEqual([
        expect.objectContaining({ endpoint: `unix:${ovs.dbSock}`, state: 'connected', systemId: 'host-a' }),
      ]);

      // A port whose ofport is not yet known is not reported until it is.
      await ovs.vsctl('--no-wait', 'add-port', 'br0', 'p2', '--', 'set', 'interface', 'p2', 'type=dummy');
      const p2 = await until(
        () => c.events.find((e) => OvsdbPortEvent.is(e) && e.change === 'added' && e.name === 'p2'),
        'p2 added',
      );
      expect(OvsdbPortEvent.is(p2) && p2.portNo).toBe(
        Number(await vsctlGet(ovs, 'interface', 'p2', 'ofport')),
      );
      expect(c.events.filter((e) => OvsdbPortEvent.is(e) && e.name === 'p2')).toHaveLength(1);

      // Deleting the bridge: its ports are removed, then it goes down.
      const before = c.events.length;
      await ovs.vsctl('del-br', 'br0');
      await until(
        () => c.events.slice(before).some((e) => OvsdbBridgeEvent.is(e) && e.state === 'down'),
        'br0 down',
      );
      const tail = c.events.slice(before).filter((e) => OvsdbPortEvent.is(e) || OvsdbBridgeEvent.is(e));
      expect(tail.at(-1)).toMatchObject({ type: 'ovsdbmanager.bridge', state: 'down', datapathId: dpid });
      expect(tail.slice(0, -1).every((e) => OvsdbPortEvent.is(e) && e.change === 'removed')).toBe(true);
      expect(tail).toHaveLength(listed.length + 2); // and p2
      expect(c.bindings.list()).toEqual([]);
    } finally {
      await c.runtime.stop();
    }
  });

  it('over TCP', async () => {
    const ovs = await startOvs({ dummy: true, systemId: 'host-tcp' });
    await ovs.addBridge('brt');
    await addDummyPort(ovs, 't1', { bridge: 'brt', ifaceId: 'lpt' });
    const c = await startController(`tcp:127.0.0.1:${ovs.dbTcpPort}`);
    try {
      const dpid = BigInt(`0x${await vsctlGet(ovs, 'bridge', 'brt', 'datapath_id')}`);
      const b = await c.bindings.waitForLogicalPort('lpt', { timeout: 30_000 });
      expect(b).toMatchObject({
        systemId: 'host-tcp',
        datapathId: dpid,
        portNo: Number(await vsctlGet(ovs, 'interface', 't1', 'ofport')),
      });
    } finally {
      await c.runtime.stop();
    }
  });

  it('passive: accepts ovsdb-server after set-manager, and a host that reconnects resyncs without repeating itself', async () => {
    const ovs = await startOvs({ dummy: true, systemId: 'host-p' });
    await ovs.addBridge('brp');
    await addDummyPort(ovs, 'q1', { bridge: 'brp', ifaceId: 'lpq' });
    const port = await freePort();
    const c = await startController(`ptcp:${port}:127.0.0.1`);
    try {
      expect(c.manager.connections()).toEqual([
        expect.objectContaining({ listeningPort: port, passive: true }),
      ]);
      await ovs.vsctl('set-manager', `tcp:127.0.0.1:${port}`);
      const dpid = BigInt(`0x${await vsctlGet(ovs, 'bridge', 'brp', 'datapath_id')}`);
      const b = await c.bindings.waitForLogicalPort('lpq', { timeout: 30_000 });
      expect(b).toMatchObject({ systemId: 'host-p', datapathId: dpid, bridge: 'brp' });
      expect(c.manager.bridge(dpid)?.connection).toBe(`ptcp:${port}:127.0.0.1 system-id=host-p`);

      // The switch drops us and comes back: same replica, only what changed is reported.
      const before = c.events.length;
      await ovs.vsctl('del-manager');
      await until(
        () => c.manager.connections().some((x) => x.systemId === 'host-p' && x.state === 'disconnected'),
        'disconnect seen',
      );
      await addDummyPort(ovs, 'q2', { bridge: 'brp', ifaceId: 'lpq2' });
      await ovs.vsctl('set-manager', `tcp:127.0.0.1:${port}`);
      await c.bindings.waitForLogicalPort('lpq2', { timeout: 30_000 });
      await c.runtime.scheduler.drained();
      const after = c.events.slice(before);
      expect(after.map((e) => `${e.type} ${'change' in e ? e.change : ''}`)).toEqual([
        'ovsdbmanager.port added',
        'portbinding.binding added',
      ]);
      expect(c.manager.connections().filter((x) => x.systemId === 'host-p')).toEqual([
        expect.objectContaining({ state: 'connected' }),
      ]);
    } finally {
      await c.runtime.stop();
    }
  });

  it('a host away past the grace period: its ports are removed and its bridges go down; when it returns they come back', async () => {
    const ovs = await startOvs({ dummy: true, systemId: 'host-g' });
    await ovs.addBridge('br0');
    await addDummyPort(ovs, 'g1', { ifaceId: 'lpg' });
    const c = await startController(`unix:${ovs.dbSock}`, { disconnectgrace: 0.2 });
    try {
      const first = await c.bindings.waitForLogicalPort('lpg', { timeout: 30_000 });
      await c.runtime.scheduler.drained();
      let mark = c.events.length;
      await stopOvsdbServer(ovs);
      await until(() => c.manager.bridges().length === 0 || undefined, 'br0 down');
      await c.runtime.scheduler.drained();
      const gone = c.events
        .slice(mark)
        .map((e) =>
          OvsdbPortEvent.is(e)
            ? `port ${e.change} ${e.name}`
            : OvsdbBridgeEvent.is(e)
              ? `bridge ${e.state}`
              : e.type,
        );
      expect(gone.slice().sort()).toEqual(
        [
          'port removed br0',
          'port removed g1',
          'bridge down',
          'portbinding.binding',
          'portbinding.binding',
        ].sort(),
      );
      expect(gone.indexOf('bridge down')).toBeGreaterThan(gone.indexOf('port removed g1'));
      expect(c.bindings.whereIs('lpg')).toEqual([]);
      expect(c.manager.connections()).toEqual([expect.objectContaining({ state: 'disconnected' })]);

      mark = c.events.length;
      await startOvsdbServer(ovs);
      const back = await c.bindings.waitForLogicalPort('lpg', { timeout: 60_000 });
      expect(back).toEqual(first);
      await c.runtime.scheduler.drained();
      expect(
        c.events
          .slice(mark)
          .filter((e) => OvsdbBridgeEvent.is(e))
          .map((e) => OvsdbBridgeEvent.is(e) && [e.state, e.datapathId]),
      ).toEqual([['up', first.datapathId]]);
    } finally {
      await c.runtime.stop();
    }
  });

  it('passive: a switch reaching us through two manager targets is one host (the second connection a standby)', async () => {
    const ovs = await startOvs({ dummy: true, systemId: 'host-2' });
    await ovs.addBridge('br0');
    await addDummyPort(ovs, 's1', { ifaceId: 'lps' });
    const [p1, p2] = [await freePort(), await freePort()];
    const c = await startController([`ptcp:${p1}:127.0.0.1`, `ptcp:${p2}:127.0.0.1`]);
    try {
      await ovs.vsctl('set-manager', `tcp:127.0.0.1:${p1}`, `tcp:127.0.0.1:${p2}`);
      await c.bindings.waitForLogicalPort('lps', { timeout: 30_000 });
      // Both connections are up before we look.
      await until(
        async () =>
          (await ovs.vsctl('--bare', '--columns=is_connected', 'list', 'manager')).split('true').length === 3,
        'both manager connections up',
      );
      await c.runtime.scheduler.drained();
      const kinds = () =>
        c.events.map((e) =>
          OvsdbBridgeEvent.is(e)
            ? `bridge ${e.state}`
            : OvsdbPortEvent.is(e)
              ? `port ${e.change} ${e.name}`
              : `binding`,
        );
      expect(kinds().sort()).toEqual(['binding', 'binding', 'bridge up', 'port added br0', 'port added s1']);
      const hosts = () => c.manager.connections().filter((x) => x.systemId === 'host-2');
      expect(hosts()).toEqual([expect.objectContaining({ state: 'connected' })]);

      // Either target goes away: the host stays, on the other connection, and keeps reporting.
      await ovs.vsctl('set-manager', `tcp:127.0.0.1:${p2}`);
      await addDummyPort(ovs, 's2', { ifaceId: 'lps2' });
      await c.bindings.waitForLogicalPort('lps2', { timeout: 30_000 });
      await ovs.vsctl('set-manager', `tcp:127.0.0.1:${p1}`);
      await addDummyPort(ovs, 's3', { ifaceId: 'lps3' });
      await c.bindings.waitForLogicalPort('lps3', { timeout: 30_000 });
      await c.runtime.scheduler.drained();
      expect(kinds().filter((k) => k.startsWith('bridge'))).toEqual(['bridge up']);
      expect(kinds().filter((k) => k.startsWith('port added s'))).toEqual([
        'port added s1',
        'port added s2',
        'port added s3',
      ]);
      expect(hosts()).toEqual([expect.objectContaining({ state: 'connected' })]);
    } finally {
      await c.runtime.stop();
    }
  });
});
