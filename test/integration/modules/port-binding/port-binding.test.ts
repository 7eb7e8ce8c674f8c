/**
 * portbinding against a private OVS: bindings follow iface-id changes and deletions,
 * waitForLogicalPort works before and after the port exists, an ovsdb-server restart
 * converges without repeated or phantom events, and 1,000 ports added in one transaction
 * are all bound.
 */
import type { Event } from '../../../../src/async';
import { OvsdbPortEvent } from '../../../../src/modules/ovsdb-manager';
import { type PortBindingChange, PortBindingEvent } from '../../../../src/modules/port-binding';
import { addDummyPort, cleanupAll, startOvs } from '../../../harness';
import { restartOvsdbServer, startController, until, vsctlGet } from '../ovsdb-manager/controller';

afterAll(cleanupAll);

const bindingEvents = (events: readonly Event[]) =>
  events
    .filter((e): e is PortBindingChange => PortBindingEvent.is(e))
    .map((e) => `${e.change} ${e.logicalPortId}`);

async function addDummy(ovs: Awaited<ReturnType<typeof startOvs>>, name: string, lp?: string): Promise<void> {
  await addDummyPort(ovs, name, { ifaceId: lp });
}

describe('portbinding', () => {
  it('follows iface-id changes and deletions; waitForLogicalPort before and after the port exists', async () => {
    const ovs = await startOvs({ dummy: true, systemId: 'host-b' });
    await ovs.addBridge('br0');
    await addDummy(ovs, 'p1', 'lp1');
    const c = await startController(`unix:${ovs.dbSock}`);
    try {
      const dpid = BigInt(`0x${await vsctlGet(ovs, 'bridge', 'br0', 'datapath_id')}`);
      // Before: the port is there (or arrives with the first sync).
      const p1 = await c.bindings.waitForLogicalPort('lp1', { timeout: 30_000 });
      const ofport1 = Number(await vsctlGet(ovs, 'interface', 'p1', 'ofport'));
      expect(p1).toMatchObject({
        systemId: 'host-b',
        bridge: 'br0',
        datapathId: dpid,
        portNo: ofport1,
        name: 'p1',
      });
      expect(c.bindings.byPort(dpid, ofport1)).toBe(p1);
      // After: it is already there, resolved at once.
      await expect(c.bindings.waitForLogicalPort('lp1')).resolves.toBe(p1);

      // Waiting for a port that does not exist yet.
      const waiting = c.bindings.waitForLogicalPort('lp2', { timeout: 30_000 });
      await addDummy(ovs, 'p2', 'lp2');
      const p2 = await waiting;
      expect(p2.portNo).toBe(Number(await vsctlGet(ovs, 'interface', 'p2', 'ofport')));

      // iface-id changes: lp1 leaves port p1, lp1b takes it.
      await c.runtime.scheduler.drained();
      let mark = c.events.length;
      await ovs.vsctl('set', 'interface', 'p1', 'external_ids:iface-id=lp1b');
      await c.bindings.waitForLogicalPort('lp1b', { timeout: 30_000 });
      await c.runtime.scheduler.drained();
      expect(bindingEvents(c.events.slice(mark))).toEqual(['removed lp1', 'added lp1b']);
      expect(c.bindings.whereIs('lp1')).toEqual([]);
      expect(await c.runtime.call('portbinding', 'whereis', { logicalport: 'lp1b' })).toEqual([
        { systemId: 'host-b', bridge: 'br0', datapathId: dpid, portNo: ofport1, name: 'p1' },
      ]);
      // The port itself is updated in place (same datapath and number).
      expect(
        c.events
          .slice(mark)
          .filter((e) => OvsdbPortEvent.is(e))
          .map((e) => OvsdbPortEvent.is(e) && e.change),
      ).toEqual(['updated']);

      // Deleted: the binding goes.
      mark = c.events.length;
      await ovs.vsctl('del-port', 'br0', 'p2');
      await until(() => c.bindings.whereIs('lp2').length === 0 || undefined, 'lp2 unbound');
      await c.runtime.scheduler.drained();
      expect(bindingEvents(c.events.slice(mark))).toEqual(['removed lp2']);
      expect(await c.runtime.call('portbinding', 'listbindings', { datapathid: dpid.toString() })).toEqual([
        expect.objectContaining({ portNo: ofport1, logicalPortId: 'lp1b' }),
        expect.objectContaining({
          portNo: 65534,
          name: 'br0',
          logicalPortId: undefined,
          physicalPortName: undefined,
        }),
      ]);
      expect(await c.runtime.call('portbinding', 'listbindings', { logicalport: 'lp2' })).toEqual([]);
    } finally {
      await c.runtime.stop();
    }
  });

  it('an ovsdb-server restart: the replica resyncs, bindings converge, nothing is repeated or invented', async () => {
    const ovs = await startOvs({ dummy: true, systemId: 'host-r' });
    await ovs.addBridge('br0');
    for (const [p, lp] of [
      ['r1', 'lr1'],
      ['r2', 'lr2'],
      ['r3', 'lr3'],
    ] as const)
      await addDummy(ovs, p, lp);
    const c = await startController([`unix:${ovs.dbSock}`]);
    try {
      await c.bindings.waitForLogicalPort('lr3', { timeout: 30_000 });
      await until(() => c.bindings.whereIs('lr1').length && c.bindings.whereIs('lr2').length, 'all bound');
      await c.runtime.scheduler.drained();
      const before = c.bindings.list();
      const mark = c.events.length;

      // While ovsdb-server is down, r2 gets another logical port (written to the database
      // file directly): only that may be reported after the restart.
      await restartOvsdbServer(ovs, [
        {
          op: 'update',
          table: 'Interface',
          where: [['name', '==', 'r2']],
          row: { external_ids: ['map', [['iface-id', 'lr2b']]] },
        },
      ]);
      await c.bindings.waitForLogicalPort('lr2b', { timeout: 60_000 });
      // A change after the resync, as a marker: anything the resync reported came before it.
      await addDummy(ovs, 'r4', 'lr4');
      await c.bindings.waitForLogicalPort('lr4', { timeout: 30_000 });
      await c.runtime.scheduler.drained();
      expect(bindingEvents(c.events.slice(mark))).toEqual(['removed lr2', 'added lr2b', 'added lr4']);
      expect(
        c.events
          .slice(mark)
          .filter((e) => e.type === 'ovsdbmanager.bridge' || e.type === 'ovsdbmanager.port')
          .map((e) => (OvsdbPortEvent.is(e) ? `${e.change} ${e.name}` : e.type)),
      ).toEqual(['updated r2', 'added r4']);
      const after = c.bindings.list();
      expect(after.length).toBe(before.length + 1);
      expect(after.find((b) => b.name === 'r1')).toBe(before.find((b) => b.name === 'r1'));
    } finally {
      await c.runtime.stop();
    }
  });

  it('binds 1,000 dummy ports added in one ovs-vsctl transaction', async () => {
    const ovs = await startOvs({ dummy: true, systemId: 'host-s' });
    await ovs.addBridge('br0');
    const c = await startController(`unix:${ovs.dbSock}`);
    try {
      await until(() => c.manager.bridges().length === 1 || undefined, 'br0 up');
      const n = 1000;
      const ids = Array.from({ length: n }, (_, i) => `lp-${i}`);
      const all = Promise.all(ids.map((id) => c.bindings.waitForLogicalPort(id, { timeout: 120_000 })));
      const args: string[] = [];
      for (let i = 0; i < n; i++) {
        args.push(
          '--',
          'add-port',
          'br0',
          `d${i}`,
          '--',
          'set',
          'interface',
          `d${i}`,
          'type=dummy',
          `external_ids:iface-id=lp-${i}`,
        );
      }
      const t0 = performance.now();
      await ovs.vsctl('--timeout=120', ...args.slice(1));
      const tVsctl = performance.now() - t0;
      const bound = await all;
      const tBound = performance.now() - t0;
      process.stdout.write(
        `portbinding scale: ${n} ports in one ovs-vsctl transaction: ovs-vsctl returned after ${tVsctl.toFixed(0)} ms, all bound after ${tBound.toFixed(0)} ms\n`,
      );
      expect(new Set(bound.map((b) => b.portNo)).size).toBe(n);
      const sample = [0, 499, 999];
      for (const i of sample) {
        expect(bound[i]!.portNo).toBe(Number(await vsctlGet(ovs, 'interface', `d${i}`, 'ofport')));
      }
      expect(c.bindings.list().filter((b) => b.logicalPortId?.startsWith('lp-'))).toHaveLength(n);
    } finally {
      await c.runtime.stop();
    }
  });
});
