/**
 * The packet_out a controller answers with, decoded by OVS (`ovs-ofctl ofp-print`): in_port
 * CONTROLLER, no buffer, one output action to the port, the frame as data — for random
 * ports and frames (here an ICMP error built with the controller's IPv4 defaults).
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { encodeToBuffer } from '../../../../src/openflow/codec';
import {
  buildEthernet,
  buildIcmp,
  buildOriginatedIpv4,
  type Ipv4Address,
  type MacAddress,
} from '../../../../src/openflow/packet';
import { packetOutToPort } from '../../../../src/openflow/protocol';
import { type Ofp13Message, ofp13Message } from '../../../../src/openflow/v13/message';

function ofpPrint(hex: string): string {
  const r = spawnSync('ovs-ofctl', ['ofp-print', hex], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ofp-print ${hex}: ${r.stderr}`);
  return r.stdout;
}

describe('packetOutToPort', () => {
  it('OVS decodes it as from CONTROLLER, unbuffered, output to the port, the frame as data', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 0xfeff }),
        fc.uint8Array({ minLength: 0, maxLength: 40 }),
        fc.integer({ min: 1, max: 0xfffffffe }),
        (port, body, xid) => {
          const icmp = buildIcmp({ kind: 'time-exceeded', code: 0, original: body });
          const ip = buildOriginatedIpv4({
            protocol: 1,
            src: '10.1.0.1' as Ipv4Address,
            dst: '10.1.0.11' as Ipv4Address,
            payload: icmp,
          });
          const frame = buildEthernet({
            dst: '02:00:00:00:01:11' as MacAddress,
            src: '02:56:4c:00:00:01' as MacAddress,
            ethertype: 0x0800,
            payload: ip,
          });
          const m = { ...packetOutToPort(port, frame), xid } as Ofp13Message;
          const out = ofpPrint(encodeToBuffer(ofp13Message, m).toString('hex'));
          expect(out).toContain(`OFPT_PACKET_OUT (OF1.3) (xid=0x${xid.toString(16)}):`);
          expect(out).toMatch(
            new RegExp(`in_port=CONTROLLER actions=output:${port} data_len=${frame.length}`),
          );
          // OVS's own flow extraction of the data: the IPv4 defaults (TTL 64, not fragmented).
          expect(out).toMatch(
            /icmp,.*nw_src=10\.1\.0\.1,nw_dst=10\.1\.0\.11,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,icmp_type=11,icmp_code=0/,
          );
          expect(out).toContain('icmp_csum:');
          // OVS prints buffer=0x... only for a buffered packet.
          expect(out).not.toContain('buffer=');
        },
      ),
      { numRuns: 25 },
    );
  });
});
