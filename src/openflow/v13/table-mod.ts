/** OFPT_TABLE_MOD (OpenFlow 1.3): a table's config word (deprecated bits only in 1.3). */
import { pad, struct, u8, u32, type ValueOf } from '../codec';
import { header } from '../header';

export const tableMod = struct(
  'ofp_table_mod',
  { ...header(4, 17), tableId: u8, pad: pad(3), config: u32 },
  { tag: 'table_mod' },
);
export type TableMod = ValueOf<typeof tableMod>;
