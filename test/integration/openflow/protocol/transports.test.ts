/** OVS reaching our listener over a unix socket and over TLS (`ssl:` with `set-ssl`). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scheduler } from '../../../../src/async';
import { OpenflowListener, SwitchUpEvent, toDatapathId } from '../../../../src/openflow/protocol';
import { cleanupAll, startOvs } from '../../../harness';
import { selfSignedCert } from '../../../harness/tls';

afterAll(cleanupAll);

const WAIT = { timeout: 60_000 };

describe('OpenFlow listener transports with Open vSwitch', () => {
  it('punix: OVS connects to a unix socket in its run directory', async () => {
    const ovs = await startOvs({ dummy: true });
    const scheduler = new Scheduler();
    const path = join(ovs.dir, 'of.sock');
    const listener = await OpenflowListener.listen(`punix:${path}`, { scheduler });
    try {
      await ovs.addBridge('bru', { protocols: 'OpenFlow13' });
      const up = scheduler.waitFor(SwitchUpEvent.match(), WAIT);
      await ovs.vsctl('set-controller', 'bru', `unix:${path}`);
      const ev = await up;
      expect(ev.remote).toBe(`unix:${path}`);
      expect(ev.datapathId).toBe(toDatapathId(await ovs.vsctl('get', 'bridge', 'bru', 'datapath_id')));
      await ev.connection.barrier();
    } finally {
      await listener.close();
    }
  });

  it('pssl: OVS connects over TLS, each side checking the other certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vlcp-ts-of-tls-'));
    try {
      const controllerCert = selfSignedCert(mkdtempSync(join(dir, 'c-')));
      const switchCert = selfSignedCert(mkdtempSync(join(dir, 's-')));
      const ovs = await startOvs({ dummy: true });
      await ovs.vsctl('set-ssl', switchCert.keyFile, switchCert.certFile, controllerCert.certFile);
      const scheduler = new Scheduler();
      const listener = await OpenflowListener.listen('pssl:0:127.0.0.1', {
        scheduler,
        tls: { key: controllerCert.key, cert: controllerCert.cert, ca: [switchCert.cert], requestCert: true },
      });
      try {
        await ovs.addBridge('brs', { protocols: 'OpenFlow13' });
        const up = scheduler.waitFor(SwitchUpEvent.match(), WAIT);
        await ovs.vsctl('set-controller', 'brs', `ssl:127.0.0.1:${listener.port}`);
        const ev = await up;
        expect(ev.datapathId).toBe(toDatapathId(await ovs.vsctl('get', 'bridge', 'brs', 'datapath_id')));
        await ev.connection.barrier();
        expect(await ev.connection.role('master', 3n)).toEqual({ role: 'master', generationId: 3n });
      } finally {
        await listener.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
