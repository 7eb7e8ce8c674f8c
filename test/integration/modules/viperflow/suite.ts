/**
 * viperflow's behaviour through the module runtime's API call path, run against each store
 * backend (embedded.test.ts, redis.test.ts). Each test uses its own ids, so they share one
 * store; tests that need an empty store wipe what they made.
 */

import { watchLogicalNetwork } from '../../../../src/modules/viperflow';
import { list, uid } from '../api-results';
import { startViperflow, type ViperflowEnv } from './env';
import { objectKey } from './keys-for-test';
import { brokenInvariants, storeContents } from './store-contents';

export function viperflowSuite(name: string, url: () => string): void {
  describe(`viperflow (${name})`, () => {
    let env: ViperflowEnv;
    beforeAll(async () => {
      env = await startViperflow(url());
    });
    afterAll(async () => {
      await env?.stop();
    });
    afterEach(async () => {
      expect(brokenInvariants(await storeContents(env.db))).toEqual([]);
    });

    /** A vlan physical network with the given range; returns its id. */
    const vlanNet = async (range: [number, number][] = [[100, 110]]) => {
      const id = uid('phy');
      await env.call('createphysicalnetwork', { id, type: 'vlan', vlanrange: range });
      return id;
    };

    describe('physical networks', () => {
      it('creates vlan, vxlan and native networks and returns them as VLCP dumps them', async () => {
        const id = uid('phy');
        const r = list(
          await env.call('createphysicalnetwork', {
            id,
            vlanrange: [
              [100, 200],
              [201, 201],
            ],
            name: 'one',
          }),
        );
        expect(r).toEqual([
          {
            _type: 'vlcp.utils.networkmodel.PhysicalNetwork',
            _key: `viperflow.physicalnetwork.${id}`,
            id,
            type: 'vlan',
            vlanrange: [
              [100, 200],
              [201, 201],
            ],
            name: 'one',
          },
        ]);
        const vx = list(await env.call('createphysicalnetwork', { type: 'vxlan', vnirange: [[1000, 2000]] }));
        expect(vx[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(vx[0]!.vnirange).toEqual([[1000, 2000]]);
        const nat = list(await env.call('createphysicalnetwork', { type: 'native' }));
        expect(nat[0]!.type).toBe('native');
        expect(list(await env.call('listphysicalnetworks', { id }))).toEqual(r);
        expect(list(await env.call('listphysicalnetworks', { name: 'one' })).map((n) => n.id)).toEqual([id]);
        const all = list(await env.call('listphysicalnetworks', {})).map((n) => n.id);
        expect(all).toEqual(expect.arrayContaining([id, vx[0]!.id, nat[0]!.id]));
      });

      it.each([
        [{ type: 'vlan' }, /vlanrange: is required for a physical network of type vlan/],
        [{ type: 'vxlan', vlanrange: [[1, 2]] }, /vnirange: is required/],
        [
          { type: 'vlan', vlanrange: [[1, 2]], vnirange: [[1, 2]] },
          /vnirange: does not apply to a physical network of type vlan/,
        ],
        [{ type: 'gre' }, /type: unknown physical network type "gre" \(known: vlan, vxlan, native\)/],
        [{ type: 'vlan', vlanrange: [[0, 5]] }, /vlanrange\[0\]: VLAN ids are 1-4094, got 0-5/],
        [
          {
            type: 'vlan',
            vlanrange: [
              [1, 10],
              [5, 20],
            ],
          },
          /vlanrange: ranges 1-10 and 5-20 overlap/,
        ],
        [{ type: 'vxlan', vnirange: [[1, 16777216]] }, /VNIs are 1-16777215/],
        [
          { type: 'vlan', vlanrange: [[1, 2]], _hidden: 1 },
          /_hidden: attribute names starting with _ or \$ are reserved/,
        ],
        [
          { type: 'vlan', vlanrange: [[1, 2]], x: { $ref: 'viperflow.subnet.s' } },
          /x: a value may not contain/,
        ],
      ])('refuses %j', async (params, message) => {
        const before = await storeContents(env.db);
        const e = await env.failure('createphysicalnetwork', params);
        expect(e.message).toMatch(message);
        expect(await storeContents(env.db)).toEqual(before);
      });

      it('refuses a taken id, and names a repeated id inside one batch', async () => {
        const id = await vlanNet();
        const e = await env.failure('createphysicalnetwork', { id, vlanrange: [[1, 2]] });
        expect(e.message).toMatch(`id: physical network ${id} already exists`);
        const again = uid('phy');
        const e2 = await env.failure('createphysicalnetworks', {
          networks: [
            { id: again, type: 'native' },
            { id: again, type: 'native' },
          ],
        });
        expect(e2.message).toMatch(`networks.1.id: physical network ${again} appears twice in this call`);
        expect(list(await env.call('listphysicalnetworks', { id: again }))).toEqual([]);
      });

      it('updates attributes, never the type, and keeps every allocated id inside new ranges', async () => {
        const id = await vlanNet([[100, 110]]);
        const ln = list(await env.call('createlogicalnetwork', { physicalnetwork: id, vlanid: 105 }))[0]!;
        const up = list(
          await env.call('updatephysicalnetwork', { id, name: 'renamed', vlanrange: [[100, 105]] }),
        );
        expect(up[0]).toMatchObject({ id, name: 'renamed', vlanrange: [[100, 105]], type: 'vlan' });
        const e = await env.failure('updatephysicalnetwork', { id, vlanrange: [[100, 104]] });
        expect(e.message).toBe(
          `vlanrange: VLAN id 105 is used by logical network ${ln.id} and would fall outside the new ranges`,
        );
        expect((await env.failure('updatephysicalnetwork', { id, type: 'vxlan' })).message).toMatch(
          /type: the type of physical network .* cannot be changed \(it is vlan\)/,
        );
        expect((await env.failure('updatephysicalnetwork', { id: uid('nope') })).message).toMatch(
          /does not exist/,
        );
        const e2 = await env.failure('updatephysicalnetworks', {
          networks: [{ id, name: 'x' }, { id: uid('nope') }],
        });
        expect(e2.message).toMatch(/^networks\.1\.id: physical network .* does not exist$/);
        expect(list(await env.call('listphysicalnetworks', { id }))[0]!.name).toBe('renamed');
      });

      it('deletes only what nothing references, naming what still does', async () => {
        const id = await vlanNet();
        const ln = list(await env.call('createlogicalnetwork', { physicalnetwork: id }))[0]!;
        await env.call('createphysicalport', { physicalnetwork: id, name: 'eth9' });
        const e = await env.failure('deletephysicalnetwork', { id });
        expect(e.message).toBe(`id: physical network ${id} still has logical network ${ln.id}`);
        await env.call('deletelogicalnetwork', { id: ln.id });
        const e2 = await env.failure('deletephysicalnetwork', { id });
        expect(e2.message).toMatch(`still has physical port eth9 (vhost "", systemid %, bridge %)`);
        await env.call('deletephysicalport', { name: 'eth9' });
        expect(await env.call('deletephysicalnetwork', { id })).toEqual({ status: 'OK' });
        expect(list(await env.call('listphysicalnetworks', { id }))).toEqual([]);
        expect((await env.failure('deletephysicalnetwork', { id })).message).toMatch(/does not exist/);
      });
    });

    describe('logical networks', () => {
      it('get the lowest free VLAN id, or the one asked for (autoint), never one taken or outside', async () => {
        const phy = await vlanNet([
          [100, 102],
          [200, 200],
        ]);
        const a = list(await env.call('createlogicalnetwork', { physicalnetwork: phy }))[0]!;
        expect(a).toMatchObject({ vlanid: 100, physicalnetwork: { id: phy, type: 'vlan' } });
        expect(a._type).toBe('vlcp.utils.networkmodel.LogicalNetwork');
        const b = list(await env.call('createlogicalnetwork', { physicalnetwork: phy, vlanid: '200' }))[0]!;
        expect(b.vlanid).toBe(200);
        const used = await env.failure('createlogicalnetwork', { physicalnetwork: phy, vlanid: 100 });
        expect(used.message).toBe(`vlanid: VLAN id 100 is already used by logical network ${a.id}`);
        expect((used as { status?: number }).status).toBe(409);
        const out = await env.failure('createlogicalnetwork', { physicalnetwork: phy, vlanid: 150 });
        expect(out.message).toBe(
          `vlanid: VLAN id 150 is outside physical network ${phy}'s vlanrange [[100,102],[200,200]]`,
        );
        const wrong = await env.failure('createlogicalnetwork', { physicalnetwork: phy, vni: 5 });
        expect(wrong.message).toMatch(
          /vni: does not apply to physical network .* of type vlan \(it uses vlanid\)/,
        );
        const both = list(
          await env.call('createlogicalnetworks', {
            networks: [{ physicalnetwork: phy }, { physicalnetwork: phy, vlanid: 101 }],
          }),
        );
        // The one asked for is served first, so the automatic pick skips it.
        expect(both.map((n) => n.vlanid)).toEqual([102, 101]);
        const full = await env.failure('createlogicalnetwork', { physicalnetwork: phy });
        expect(full.message).toMatch(
          /physicalnetwork: no free VLAN id left in physical network .*'s vlanrange/,
        );
        await env.call('deletelogicalnetwork', { id: a.id });
        expect(list(await env.call('createlogicalnetwork', { physicalnetwork: phy }))[0]!.vlanid).toBe(100);
      });

      it('vxlan networks get VNIs; a native network carries one logical network', async () => {
        const vx = uid('vx');
        await env.call('createphysicalnetwork', { id: vx, type: 'vxlan', vnirange: [[5000, 5001]] });
        const n = list(await env.call('createlogicalnetwork', { physicalnetwork: vx, mtu: '1450' }))[0]!;
        expect(n).toMatchObject({ vni: 5000, mtu: 1450 });
        expect(n.vlanid).toBeUndefined();
        expect(
          (await env.failure('createlogicalnetwork', { physicalnetwork: vx, vlanid: 3 })).message,
        ).toMatch(/vlanid: does not apply .* of type vxlan \(it uses vni\)/);
        const nat = uid('nat');
        await env.call('createphysicalnetwork', { id: nat, type: 'native' });
        const only = list(await env.call('createlogicalnetwork', { physicalnetwork: nat }))[0]!;
        expect(only.vlanid).toBeUndefined();
        const second = await env.failure('createlogicalnetwork', { physicalnetwork: nat });
        expect(second.message).toBe(
          `physicalnetwork: physical network ${nat} is native and already carries logical network ${only.id}`,
        );
        expect((await env.failure('createlogicalnetwork', { physicalnetwork: uid('none') })).message).toMatch(
          /physicalnetwork: physical network .* does not exist/,
        );
      });

      it('update: ids can be swapped inside one batch; the physical network stays', async () => {
        const phy = await vlanNet([[10, 20]]);
        const [a, b] = list(
          await env.call('createlogicalnetworks', {
            networks: [
              { physicalnetwork: phy, vlanid: 10 },
              { physicalnetwork: phy, vlanid: 11 },
            ],
          }),
        );
        const swapped = list(
          await env.call('updatelogicalnetworks', {
            networks: [
              { id: a!.id, vlanid: 11, name: 'a' },
              { id: b!.id, vlanid: 10 },
            ],
          }),
        );
        expect(swapped.map((n) => [n.vlanid, n.name])).toEqual([
          [11, 'a'],
          [10, undefined],
        ]);
        expect((await env.failure('updatelogicalnetwork', { id: a!.id, vlanid: 10 })).message).toMatch(
          `vlanid: VLAN id 10 is already used by logical network ${b!.id}`,
        );
        expect((await env.failure('updatelogicalnetwork', { id: a!.id, physicalnetwork: phy })).message).toBe(
          'physicalnetwork: the physical network of a logical network cannot be changed',
        );
        expect(
          list(await env.call('listlogicalnetworks', { physicalnetwork: phy, vlanid: '11' })).map(
            (n) => n.id,
          ),
        ).toEqual([a!.id]);
        expect(list(await env.call('listlogicalnetworks', { physicalnetwork: phy })).length).toBe(2);
      });
    });

    describe('subnets and logical ports', () => {
      /** A logical network with one subnet 192.168.2.0/24, gateway .3, pool .2-.20 (VLCP's own test). */
      const network = async () => {
        const phy = await vlanNet();
        const ln = list(await env.call('createlogicalnetwork', { physicalnetwork: phy }))[0]!.id;
        const subnet = list(
          await env.call('createsubnet', {
            logicalnetwork: ln,
            cidr: '192.168.2.3/24',
            gateway: '192.168.2.3',
            allocated_start: '192.168.2.2',
            allocated_end: '192.168.2.20',
            host_routes: [
              ['100.73.3.1', '192.168.2.10'],
              ['100.73.254.0/24', '0.0.0.0'],
            ],
          }),
        )[0]!;
        return { phy, ln, subnet };
      };

      it('a subnet is stored in network form, with routes normalised, as VLCP does', async () => {
        const { ln, subnet } = await network();
        expect(subnet).toMatchObject({
          _type: 'vlcp.utils.networkmodel.SubNet',
          cidr: '192.168.2.0/24',
          gateway: '192.168.2.3',
          allocated_start: '192.168.2.2',
          allocated_end: '192.168.2.20',
          host_routes: [
            ['100.73.3.1/32', '192.168.2.10'],
            ['100.73.254.0/24', '0.0.0.0'],
          ],
          network: { id: ln },
        });
        const plain = list(await env.call('createsubnet', { logicalnetwork: ln, cidr: '10.9.0.0/29' }))[0]!;
        expect([plain.allocated_start, plain.allocated_end]).toEqual(['10.9.0.1', '10.9.0.6']);
        expect(
          list(await env.call('listsubnets', { logicalnetwork: ln }))
            .map((s) => s.id)
            .sort(),
        ).toEqual([subnet.id, plain.id].sort());
        expect(list(await env.call('listsubnets', { id: plain.id, cidr: '10.9.0.0/29' })).length).toBe(1);
      });

      it.each([
        [
          { cidr: '192.168.3.0/24', gateway: '192.168.1.1' },
          /gateway: 192.168.1.1 is not in 192.168.3.0\/24/,
        ],
        [{ cidr: '192.168.3.0' }, /parameter cidr must be IPv4 CIDR/],
        [
          { cidr: '192.168.3.0/24', allocated_start: '192.168.3.10', allocated_end: '192.168.3.9' },
          /allocated_start 192.168.3.10 is after allocated_end/,
        ],
        [
          { cidr: '192.168.3.0/24', allocated_end: '192.168.4.9' },
          /allocated_end 192.168.4.9 is outside 192.168.3.0\/24/,
        ],
        [{ cidr: '192.168.3.0/24', host_routes: [['100.73.256.0/24', '0.0.0.0']] }, /host_routes/],
        [
          { cidr: '192.168.3.0/24', pre_host_config: [{ systemid: 'abc', local_address: '10.0.0.1' }] },
          /pre_host_config.0.local_address: 10.0.0.1 is not in 192.168.3.0\/24/,
        ],
        [{ cidr: '192.168.2.128/25' }, /cidr: 192.168.2.128\/25 overlaps subnet .* \(192.168.2.0\/24\)/],
        [{ cidr: '192.168.3.0/24', network: 'x' }, /network: is set from logicalnetwork/],
      ])('refuses subnet %j', async (params, message) => {
        const { ln } = await network();
        const before = await storeContents(env.db);
        expect((await env.failure('createsubnet', { logicalnetwork: ln, ...params })).message).toMatch(
          message,
        );
        expect(await storeContents(env.db)).toEqual(before);
      });

      it('ports get the lowest free address (never the gateway), unique MACs, and nested references', async () => {
        const { ln, subnet } = await network();
        const [p1, p2] = list(
          await env.call('createlogicalports', {
            ports: [
              { logicalnetwork: ln, subnet: subnet.id, mac_address: '06:11:22:33:44:FF' },
              {
                logicalnetwork: ln,
                subnet: subnet.id,
                mac_address: '07:11:22:33:44:FF',
                ip_address: '192.168.2.2',
              },
            ],
          }),
        );
        expect(p1).toMatchObject({
          mac_address: '06:11:22:33:44:ff',
          ip_address: '192.168.2.4',
          subnet: { id: subnet.id },
        });
        expect(p2).toMatchObject({ mac_address: '07:11:22:33:44:ff', ip_address: '192.168.2.2' });
        expect(p1!.network).toMatchObject({ id: ln, physicalnetwork: { type: 'vlan' } });
        const gen = list(await env.call('createlogicalport', { logicalnetwork: ln }))[0]!;
        expect(gen.id).toMatch(/^[0-9a-f-]{36}$/);
        // Locally administered, unicast.
        expect(Number.parseInt(String(gen.mac_address).slice(0, 2), 16) & 0x03).toBe(0x02);
        expect(gen.ip_address).toBeUndefined();
        expect(list(await env.call('listlogicalports', { logicalnetwork: ln })).length).toBe(3);
        expect(
          list(await env.call('listlogicalports', { subnet: subnet.id }))
            .map((p) => p.id)
            .sort(),
        ).toEqual([p1!.id, p2!.id].sort());
        expect(
          list(await env.call('listlogicalports', { ip_address: '192.168.2.4' })).map((p) => p.id),
        ).toEqual([p1!.id]);
      });

      it('refuses bad ports naming the field; a bad item in a batch creates nothing', async () => {
        const { ln, subnet } = await network();
        const other = list(await env.call('createlogicalnetwork', { physicalnetwork: await vlanNet() }))[0]!
          .id;
        const taken = list(
          await env.call('createlogicalport', { logicalnetwork: ln, subnet: subnet.id }),
        )[0]!;
        const cases: [Record<string, unknown>, RegExp | string][] = [
          [
            { logicalnetwork: other, subnet: subnet.id },
            `subnet: subnet ${subnet.id} is not in logical network ${other}`,
          ],
          [
            { logicalnetwork: ln, subnet: subnet.id, mac_address: '00:11:22:33:44:hh' },
            /parameter mac_address must be MAC address/,
          ],
          [
            { logicalnetwork: ln, subnet: subnet.id, ip_address: '192.168.2.1' },
            /ip_address: 192.168.2.1 is not a usable address of subnet/,
          ],
          [
            { logicalnetwork: ln, subnet: subnet.id, ip_address: '192.168.2.3' },
            /is not a usable address .*gateway 192.168.2.3/,
          ],
          [
            { logicalnetwork: ln, subnet: subnet.id, ip_address: '192.168.2.21' },
            /pool 192.168.2.2-192.168.2.20/,
          ],
          [
            { logicalnetwork: ln, subnet: subnet.id, ip_address: taken.ip_address },
            `ip_address: ${String(taken.ip_address)} is already used by logical port ${taken.id} in subnet ${subnet.id}`,
          ],
          [
            { logicalnetwork: ln, mac_address: taken.mac_address },
            `mac_address: ${String(taken.mac_address)} is already used by logical port ${taken.id}`,
          ],
          [
            { logicalnetwork: ln, ip_address: '192.168.2.9' },
            'ip_address: an address needs a subnet: give subnet as well',
          ],
          [{ logicalnetwork: ln, subnet: uid('nosub') }, /subnet: subnet .* does not exist/],
        ];
        for (const [params, message] of cases) {
          const before = await storeContents(env.db);
          expect((await env.failure('createlogicalport', params)).message).toMatch(message);
          expect(await storeContents(env.db)).toEqual(before);
        }
        const before = await storeContents(env.db);
        const ids = [uid('lp'), uid('lp'), uid('lp')];
        const e = await env.failure('createlogicalports', {
          ports: [
            { id: ids[0], logicalnetwork: ln, subnet: subnet.id, mac_address: '00:11:22:33:44:55' },
            { id: ids[1], logicalnetwork: ln, subnet: subnet.id },
            { id: ids[2], logicalnetwork: ln, subnet: subnet.id, mac_address: '00:11:22:33:44:55' },
          ],
        });
        expect(e.message).toBe(
          `ports.2.mac_address: 00:11:22:33:44:55 is already used by logical port ${ids[0]} in logical network ${ln}`,
        );
        expect((e as { parameter?: string }).parameter).toBe('ports.2.mac_address');
        expect(
          await storeContents(
            env.db,
            ids.map((i) => objectKey('logicalport', i)),
          ),
        ).toEqual(before);
      });

      it('updates swap addresses in one batch; deletes refuse while ports hold addresses', async () => {
        const { ln, subnet } = await network();
        const [a, b] = list(
          await env.call('createlogicalports', {
            ports: [
              { logicalnetwork: ln, subnet: subnet.id },
              { logicalnetwork: ln, subnet: subnet.id },
            ],
          }),
        );
        const swapped = list(
          await env.call('updatelogicalports', {
            ports: [
              { id: a!.id, ip_address: b!.ip_address, mac_address: b!.mac_address, hostname: 'a' },
              { id: b!.id, ip_address: a!.ip_address, mac_address: a!.mac_address },
            ],
          }),
        );
        expect(swapped.map((p) => p.ip_address)).toEqual([b!.ip_address, a!.ip_address]);
        expect(swapped[0]!.hostname).toBe('a');
        expect((await env.failure('updatelogicalport', { id: a!.id, subnet: subnet.id })).message).toBe(
          'subnet: the subnet of a logical port cannot be changed',
        );
        const e = await env.failure('deletesubnet', { id: subnet.id });
        expect(e.message).toMatch(
          new RegExp(`^id: subnet ${subnet.id} still has logical port (${a!.id}|${b!.id}), logical port`),
        );
        expect((await env.failure('deletelogicalnetwork', { id: ln })).message).toMatch(/still has subnet/);
        // Shrinking the pool under a held address is refused, naming the holder.
        const held = String(swapped[0]!.ip_address);
        const shrink = await env.failure('updatesubnet', { id: subnet.id, allocated_start: '192.168.2.10' });
        expect(shrink.message).toMatch(/allocated_start: .* held by logical port .* is outside the pool/);
        expect(held).toMatch(/^192\.168\.2\./);
        const moved = list(
          await env.call('updatesubnet', {
            id: subnet.id,
            cidr: '192.168.0.0/22',
            gateway: '192.168.0.1',
            host_routes: [],
          }),
        )[0]!;
        expect(moved).toMatchObject({ cidr: '192.168.0.0/22', gateway: '192.168.0.1', host_routes: [] });
        const hosts = list(
          await env.call('updatesubnet', {
            id: subnet.id,
            pre_host_config: [{ systemid: 'h1', local_address: '192.168.1.9' }],
          }),
        )[0]!;
        expect(hosts.pre_host_config).toEqual([
          { systemid: 'h1', bridge: '%', vhost: '', local_address: '192.168.1.9' },
        ]);
        expect(
          (
            await env.failure('updatesubnet', {
              id: subnet.id,
              pre_host_config: [{ local_address: '10.0.0.1' }],
            })
          ).message,
        ).toBe('pre_host_config.0.local_address: 10.0.0.1 is not in 192.168.0.0/22');
        expect(await env.call('deletelogicalports', { ports: [{ id: a!.id }, { id: b!.id }] })).toEqual({
          status: 'OK',
        });
        expect(await env.call('deletesubnet', { id: subnet.id })).toEqual({ status: 'OK' });
        expect(await env.call('deletelogicalnetwork', { id: ln })).toEqual({ status: 'OK' });
      });
    });

    describe('physical ports', () => {
      it('are keyed by vhost, systemid, bridge and name, with VLCP defaults', async () => {
        const phy = await vlanNet();
        const name = uid('eth');
        const r = list(await env.call('createphysicalport', { physicalnetwork: phy, name, speed: 10 }))[0]!;
        expect(r).toMatchObject({
          _type: 'vlcp.utils.networkmodel.PhysicalPort',
          _key: `viperflow.physicalport..%25.%25.${name.replace(/[.]/g, '%2E')}`,
          name,
          vhost: '',
          systemid: '%',
          bridge: '%',
          speed: 10,
          physicalnetwork: { id: phy },
        });
        await env.call('createphysicalports', {
          ports: [{ physicalnetwork: phy, name, systemid: 'host-a', bridge: 'br0' }],
        });
        expect(list(await env.call('listphysicalports', { physicalnetwork: phy })).length).toBe(2);
        expect(list(await env.call('listphysicalports', { name })).map((p) => p.systemid)).toEqual(['%']);
        expect(
          list(await env.call('listphysicalports', { name, systemid: 'host-a', bridge: 'br0' })).length,
        ).toBe(1);
        expect(
          list(await env.call('listphysicalports', { physicalnetwork: phy, systemid: 'host-a' })).length,
        ).toBe(1);
        const up = list(await env.call('updatephysicalport', { name, speed: 40 }))[0]!;
        expect(up.speed).toBe(40);
        expect((await env.failure('updatephysicalport', { name, physicalnetwork: phy })).message).toMatch(
          /physicalnetwork: the physical network of a physical port cannot be changed/,
        );
        expect((await env.failure('createphysicalport', { physicalnetwork: phy, name })).message).toMatch(
          /already exists/,
        );
        expect(
          await env.call('deletephysicalports', {
            ports: [{ name }, { name, systemid: 'host-a', bridge: 'br0' }],
          }),
        ).toEqual({
          status: 'OK',
        });
        expect(list(await env.call('listphysicalports', { physicalnetwork: phy }))).toEqual([]);
      });
    });

    it('ids that are not key-safe (dots, slashes, spaces) still name one object each', async () => {
      const ids = ['a.b', 'a/b', 'a b', 'ä%2E'].map((s) => `${s}-${uid('x')}`);
      for (const id of ids) await env.call('createphysicalnetwork', { id, type: 'native' });
      for (const id of ids)
        expect(list(await env.call('listphysicalnetworks', { id })).map((n) => n.id)).toEqual([id]);
      await env.call('deletephysicalnetworks', { networks: ids.map((id) => ({ id })) });
      for (const bad of ['x'.repeat(600), 'lone\ud800']) {
        const e = await env.failure('createphysicalnetworks', {
          networks: [
            { id: uid('ok'), type: 'native' },
            { id: bad, type: 'native' },
          ],
        });
        expect(e.message).toMatch(/^networks\.1\.id: cannot be used as an id/);
        expect(list(await env.call('listphysicalnetworks', { id: bad }))).toEqual([]);
      }
    });

    it('a batch of 500 logical networks is one transaction with distinct ids', async () => {
      const phy = await vlanNet([[1, 4094]]);
      const r = list(
        await env.call('createlogicalnetworks', {
          networks: Array.from({ length: 500 }, () => ({ physicalnetwork: phy })),
        }),
      );
      expect(new Set(r.map((n) => n.vlanid)).size).toBe(500);
      // Network numbers (what flows carry in metadata) are distinct positive integers too.
      expect(new Set(r.map((n) => n.nwid)).size).toBe(500);
      expect(r.every((n) => Number.isInteger(n.nwid) && (n.nwid as number) > 0)).toBe(true);
      expect(list(await env.call('listlogicalnetworks', { physicalnetwork: phy })).length).toBe(500);
      await env.call('deletelogicalnetworks', { networks: r.map((n) => ({ id: n.id })) });
    });

    it("the network number is the controller's to assign: never taken from a call, never changed", async () => {
      const phy = await vlanNet([[1200, 1210]]);
      await expect(env.call('createlogicalnetwork', { physicalnetwork: phy, nwid: 7 })).rejects.toThrow(
        /nwid/,
      );
      const n = list(await env.call('createlogicalnetwork', { physicalnetwork: phy }))[0]!;
      await expect(env.call('updatelogicalnetwork', { id: n.id, nwid: 7 })).rejects.toThrow(/nwid/);
      const again = list(await env.call('listlogicalnetworks', { id: n.id }))[0]!;
      expect(again.nwid).toBe(n.nwid);
      await env.call('deletelogicalnetwork', { id: n.id });
    });

    it('many concurrent creates allocate distinct VLAN ids and addresses', async () => {
      const phy = await vlanNet([[1000, 1049]]);
      const nets = await Promise.all(
        Array.from({ length: 40 }, () => env.call('createlogicalnetwork', { physicalnetwork: phy })),
      );
      const vlans = nets.map((r) => list(r)[0]!.vlanid as number);
      expect(new Set(vlans).size).toBe(40);
      expect(new Set(nets.map((r) => list(r)[0]!.nwid)).size).toBe(40);
      expect(vlans.every((v) => v >= 1000 && v <= 1049)).toBe(true);
      const ln = list(nets[0])[0]!.id;
      const sub = list(await env.call('createsubnet', { logicalnetwork: ln, cidr: '10.20.0.0/24' }))[0]!.id;
      const ports = await Promise.all(
        Array.from({ length: 40 }, () => env.call('createlogicalport', { logicalnetwork: ln, subnet: sub })),
      );
      const ips = ports.map((r) => list(r)[0]!.ip_address);
      expect(new Set(ips).size).toBe(40);
    });

    it('a watch on one logical network sees its ports and stays quiet for others', async () => {
      const phy = await vlanNet();
      const [mine, other] = list(
        await env.call('createlogicalnetworks', {
          networks: [{ physicalnetwork: phy }, { physicalnetwork: phy }],
        }),
      );
      const w = await watchLogicalNetwork(env.db, mine!.id);
      /** Resolves once the watched view holds `key`. */
      const shows = (key: string) =>
        new Promise<void>((resolve) => {
          const check = () => (w.current().values.get(key as never) ? resolve() : setTimeout(check, 5));
          check();
        });
      try {
        const seen: number[] = [];
        w.onChange((s) => seen.push(s.seq));
        const port = list(await env.call('createlogicalport', { logicalnetwork: mine!.id }))[0]!;
        await shows(objectKey('logicalport', port.id));
        const values = w.current().values;
        expect(values.get(objectKey('logicalnetwork', mine!.id))).toMatchObject({ id: mine!.id });
        expect(values.get(objectKey('physicalnetwork', phy))).toMatchObject({ id: phy });
        const count = seen.length;
        // A port of the other network, then one of ours: the watch published only for ours.
        await env.call('createlogicalport', { logicalnetwork: other!.id });
        const second = list(await env.call('createlogicalport', { logicalnetwork: mine!.id }))[0]!;
        await shows(objectKey('logicalport', second.id));
        expect(seen.length).toBe(count + 1);
        expect([...w.current().values.keys()].some((k) => k.includes(other!.id))).toBe(false);
      } finally {
        w.close();
      }
    });
  });
}
