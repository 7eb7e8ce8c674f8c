/** OFPMP_TABLE (3): active entries, lookups and matches per table. */
import { list, pad, struct, u8, u32, u64, type ValueOf } from '../../codec';
import { multipartReply, multipartRequest } from './header';

export const tableStatsRequest = struct(
  'ofp_table_stats_request',
  { ...multipartRequest(3) },
  { tag: 'table_stats_request' },
);

export const tableStats = struct('ofp_table_stats', {
  tableId: u8,
  pad: pad(3),
  activeCount: u32,
  lookupCount: u64,
  matchedCount: u64,
});
export type TableStats = ValueOf<typeof tableStats>;

export const tableStatsReply = struct(
  'ofp_table_stats_reply',
  { ...multipartReply(3), stats: list(tableStats) },
  { tag: 'table_stats_reply' },
);
