/**
 * The per-port DHCP flow, evaluated against packets: it takes exactly the DHCP client
 * messages from its port with the port's MAC, and sends them to the controller whole.
 */
import fc from 'fast-check';
import { DHCP_FLOW_PRIORITY, dhcpFlowOwner, dhcpPortFlow } from '../../../../src/modules/dhcp-server';
import { FLOWSYNC_COOKIE } from '../../../../src/modules/flowsync';
import type { Match } from '../../../../src/openflow/oxm';
import { mac } from '../../openflow/packet/arbitraries';

type Packet = Readonly<Record<string, number | string>>;

/** Exact-value match evaluation (the flow has no masks). */
function matches(m: Match, p: Packet): boolean {
  return m.fields.every((f) => f.field !== 'raw' && f.mask === undefined && p[f.field] === f.value);
}

describe('dhcpserver flow', () => {
  it('matches DHCP from its port and MAC only, and outputs to the controller unbuffered', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 0xfeff }),
        mac,
        fc.integer({ min: 1, max: 2 ** 47 }),
        fc.integer({ min: 0, max: 254 }),
        (port, m, nwid, table) => {
          const flow = dhcpPortFlow(table, port, m, nwid);
          const v = flow.value;
          expect(v).toMatchObject({ table, priority: DHCP_FLOW_PRIORITY });
          expect(v.cookie).toBe(FLOWSYNC_COOKIE | BigInt(nwid));
          expect(v.instructions).toEqual([
            { type: 'apply_actions', actions: [{ type: 'output', port: 0xfffffffd, maxLen: 0xffff }] },
          ]);
          const dhcp: Packet = {
            in_port: port,
            eth_src: m,
            eth_type: 0x0800,
            ip_proto: 17,
            udp_src: 68,
            udp_dst: 67,
          };
          expect(matches(v.match, dhcp)).toBe(true);
          expect(matches(v.match, { ...dhcp, in_port: port + 1 })).toBe(false);
          expect(
            matches(v.match, {
              ...dhcp,
              eth_src: '02:ff:ff:ff:ff:ff' === m ? '02:ff:ff:ff:ff:fe' : '02:ff:ff:ff:ff:ff',
            }),
          ).toBe(false);
          expect(matches(v.match, { ...dhcp, udp_dst: 68, udp_src: 67 })).toBe(false);
          expect(matches(v.match, { ...dhcp, ip_proto: 6 })).toBe(false);
          expect(matches(v.match, { ...dhcp, eth_type: 0x86dd })).toBe(false);
        },
      ),
    );
  });

  it('has one FlowSync owner per datapath and port', () => {
    expect(dhcpFlowOwner(0xabcn, 7)).toBe('dhcp:abc:7');
    expect(dhcpFlowOwner(0xabcn, 7)).not.toBe(dhcpFlowOwner(0xabcn, 8));
  });
});
