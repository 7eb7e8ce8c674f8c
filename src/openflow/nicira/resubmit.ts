/** NXAST_RESUBMIT / NXAST_RESUBMIT_TABLE(_CT): look the packet up again (in another table). */
import { pad, struct, u8, u16, type ValueOf } from '../codec';
import { NXAST, nxHeader } from './nx-header';

/** in_port value meaning "the packet's own in_port" (OFPP_IN_PORT in 1.0 numbering). */
export const NX_IN_PORT = 0xfff8;
/** table value meaning "the current table". */
export const NX_CURRENT_TABLE = 0xff;

/** resubmit:PORT; the table byte is unused (OVS writes 0). */
export const nxResubmit = struct(
  'nx_action_resubmit',
  { ...nxHeader(NXAST.RESUBMIT), inPort: u16, pad: pad(4) },
  { tag: 'nx_resubmit' },
);

/** resubmit(PORT,TABLE): inPort 0xfff8 is "in_port", table 255 the current table. */
export const nxResubmitTable = struct(
  'nx_action_resubmit',
  { ...nxHeader(NXAST.RESUBMIT_TABLE), inPort: u16, table: u8, pad: pad(3) },
  { tag: 'nx_resubmit_table' },
);

/** resubmit(PORT,TABLE,ct): look up with the conntrack original-direction tuple (needs ct_state +trk). */
export const nxResubmitTableCt = struct(
  'nx_action_resubmit',
  { ...nxHeader(NXAST.RESUBMIT_TABLE_CT), inPort: u16, table: u8, pad: pad(3) },
  { tag: 'nx_resubmit_table_ct' },
);

export type NxResubmit = ValueOf<typeof nxResubmit>;
export type NxResubmitTable = ValueOf<typeof nxResubmitTable>;
