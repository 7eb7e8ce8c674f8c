import { firstValueFrom, take, toArray } from 'rxjs';
import { CancelledError, Scheduler, TimeoutError } from '../../../../src/async';
import { type OvsdbPort, OvsdbPortEvent } from '../../../../src/modules/ovsdb-manager';
import { PortBindingState } from '../../../../src/modules/port-binding';

function port(no: number, lp: string | undefined): OvsdbPort {
  return {
    systemId: 'h1',
    bridge: 'br0',
    datapathId: 7n,
    portNo: no,
    name: `p${no}`,
    mac: undefined,
    type: 'dummy',
    externalIds: lp === undefined ? {} : { 'iface-id': lp },
    options: {},
    interfaceUuid: `u${no}`,
  };
}
const added = (p: OvsdbPort) =>
  OvsdbPortEvent.create({
    change: 'added',
    datapathId: p.datapathId,
    portNo: p.portNo,
    name: p.name,
    port: p,
    old: undefined,
  });

describe('PortBindingState', () => {
  it('waitForLogicalPort resolves at once for a port already there, or when it appears', async () => {
    const state = new PortBindingState(new Scheduler());
    state.apply([added(port(1, 'lp1'))]);
    await expect(state.waitForLogicalPort('lp1')).resolves.toMatchObject({ portNo: 1, logicalPortId: 'lp1' });
    const later = state.waitForLogicalPort('lp2', { timeout: 60_000 });
    const alsoLater = state.waitForLogicalPort('lp2');
    state.apply([added(port(2, 'lp3'))]);
    state.apply([added(port(3, 'lp2'))]);
    await expect(later).resolves.toMatchObject({ portNo: 3 });
    await expect(alsoLater).resolves.toMatchObject({ portNo: 3 });
  });

  it('waitForLogicalPort rejects on timeout and on abort, and leaves no waiter behind', async () => {
    const state = new PortBindingState(new Scheduler());
    await expect(state.waitForLogicalPort('nope', { timeout: 5 })).rejects.toBeInstanceOf(TimeoutError);
    const ac = new AbortController();
    const w = state.waitForLogicalPort('nope', { signal: ac.signal });
    ac.abort(new Error('caller gave up'));
    await expect(w).rejects.toBeInstanceOf(CancelledError);
    const stopped = state.waitForLogicalPort('nope');
    state.close('module stopped');
    await expect(stopped).rejects.toThrow(/module stopped/);
    // A port appearing after all that resolves nothing and throws nothing.
    state.apply([added(port(1, 'nope'))]);
  });

  it('publishes changes to listeners at once and on the event core, filtered by logical port', async () => {
    const scheduler = new Scheduler();
    const state = new PortBindingState(scheduler);
    const seen: string[] = [];
    const off = state.subscribe((cs) => seen.push(...cs.map((c) => `${c.change} ${c.logicalPortId}`)));
    const stream = firstValueFrom(state.observe({ logicalPortId: 'lp2' }).pipe(take(1), toArray()));
    const byDp = firstValueFrom(state.observe({ datapathId: 7n }).pipe(take(2), toArray()));
    state.apply([added(port(1, 'lp1')), added(port(2, 'lp2'))]);
    expect(seen).toEqual(['added lp1', 'added lp2']);
    expect((await stream).map((c) => c.portNo)).toEqual([2]);
    expect((await byDp).map((c) => c.portNo)).toEqual([1, 2]);
    off();
    state.apply([added(port(3, 'lp3'))]);
    expect(seen).toHaveLength(2);
  });
});
