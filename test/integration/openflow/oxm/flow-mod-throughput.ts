/**
 * Not a test: a throughput probe for the OpenFlow 1.3 flow-mod the brief names (6-field OXM
 * match, 4 actions, two of them Nicira). Run: `npx tsx test/integration/openflow/oxm/flow-mod-throughput.ts`.
 * It reports operations per CPU-second (process.cpuUsage), which stays meaningful on a
 * shared machine where wall-clock rates swing with the load.
 */
import { Cursor, encodeToBuffer, Writer } from '../../../../src/openflow/codec';
import type { Ipv4Address, MacAddress } from '../../../../src/openflow/packet';
import { flowMod as flowMod13 } from '../../../../src/openflow/v13/flow-mod';
import { sampleFlowMod } from '../../../unit/openflow/v13/samples';

const value = sampleFlowMod({
  priority: 100,
  match: {
    fields: [
      { field: 'in_port' as const, value: 3 },
      { field: 'eth_type' as const, value: 0x800 },
      { field: 'ip_proto' as const, value: 6 },
      { field: 'ipv4_src' as const, value: '10.0.0.0' as Ipv4Address, mask: '255.255.255.0' as Ipv4Address },
      { field: 'tcp_dst' as const, value: 80 },
      { field: 'reg0' as const, value: 5 },
    ],
  },
  instructions: [
    {
      type: 'apply_actions' as const,
      actions: [
        {
          type: 'set_field' as const,
          field: { field: 'eth_dst' as const, value: '02:00:00:00:00:01' as MacAddress },
        },
        { type: 'nx_reg_load' as const, dst: { field: 'reg1' as const, ofs: 0, nbits: 16 }, value: 7n },
        { type: 'nx_resubmit_table' as const, inPort: 0xfff8, table: 3 },
        { type: 'output' as const, port: 3, maxLen: 0 },
      ],
    },
  ],
});

const bytes = encodeToBuffer(flowMod13, value);
const w = new Writer(4096);

function perCpuSecond(n: number, f: () => void): number {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) f();
  const used = process.cpuUsage(start);
  return Math.round(n / ((used.user + used.system) / 1e6));
}

for (let round = 0; round < 3; round++) {
  const decode = perCpuSecond(1_000_000, () => flowMod13.decode(new Cursor(bytes), bytes.length));
  const encode = perCpuSecond(1_000_000, () => {
    w.reset();
    flowMod13.encode(w, value);
  });
  console.log(`${bytes.length}-byte flow-mod: decode ${decode}/s, encode ${encode}/s`);
}
