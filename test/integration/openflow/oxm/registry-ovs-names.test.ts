/**
 * Every header in the field registry names the field OVS thinks it names: a one-bit
 * move:FIELD[0]->reg0[0] with our header must print as OVS's name for that field (OVS prints
 * the NXM name of a field that has one, so eth_dst's OXM header prints NXM_OF_ETH_DST).
 */
import { encodeToBuffer } from '../../../../src/openflow/codec';
import { nxAction } from '../../../../src/openflow/nicira';
import { ALL_FIELDS, type FieldDef } from '../../../../src/openflow/oxm';
import { ovsParseActions } from './ofctl-oracle';

/** Fields OVS 3.1 does not implement (it rejects them with OFPBMC_BAD_FIELD). */
const NOT_IN_OVS = new Set(['in_phy_port', 'pbb_isid', 'ipv6_exthdr']);

function ovsPrintedName(def: FieldDef): string {
  const nxm = ALL_FIELDS.find((d) => d.canonical === def.name && d.oxmClass <= 1);
  return (nxm ?? def).ovsName;
}

it('registry headers name the same fields in OVS', async () => {
  const defs = ALL_FIELDS.filter((d) => d.experimenter === undefined && !NOT_IN_OVS.has(d.name));
  const results = await ovsParseActions(
    'OpenFlow10',
    defs.map((d) =>
      encodeToBuffer(nxAction, {
        type: 'nx_reg_move',
        src: { field: d.name, ofs: 0, nbits: 1 },
        dst: { field: 'reg0', ofs: 0, nbits: 1 },
      }).toString('hex'),
    ),
  );
  // A field that is one bit wide in OVS (mpls_bos, tun_flags) prints as FIELD[].
  expect(results.map((r) => r.text.replace('[]->', '[0]->'))).toEqual(
    defs.map((d) => `actions=move:${ovsPrintedName(d)}[0]->NXM_NX_REG0[0]`),
  );
});

it('registry bit widths are the ones OVS gives the fields', async () => {
  // A move of the whole field prints as FIELD[]; a wider or narrower one would not.
  const defs = ALL_FIELDS.filter(
    (d) => d.experimenter === undefined && !NOT_IN_OVS.has(d.name) && d.width <= 64,
  );
  const results = await ovsParseActions(
    'OpenFlow10',
    defs.map((d) =>
      encodeToBuffer(nxAction, {
        type: 'nx_reg_move',
        src: { field: d.name, ofs: 0, nbits: d.width },
        dst: { field: 'xreg0', ofs: 0, nbits: d.width },
      }).toString('hex'),
    ),
  );
  const range = (w: number) => (w === 64 ? '' : w === 1 ? '0' : `0..${w - 1}`);
  expect(results.map((r) => r.text)).toEqual(
    defs.map((d) => `actions=move:${ovsPrintedName(d)}[]->OXM_OF_PKT_REG0[${range(d.width)}]`),
  );
});
