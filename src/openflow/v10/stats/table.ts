/** OFPST_TABLE (3): per-table name, supported wildcards, size and counters. */
import { fixedString, list, pad, struct, u8, u32, u64, type ValueOf } from '../../codec';
import { StatsType } from '../constants';
import { statsReply, statsRequest } from './header';

export const tableStatsRequest = struct(
  'ofp_table_stats_request',
  { ...statsRequest(StatsType.TABLE) },
  { tag: 'table_stats_request' },
);

export const tableStats = struct('ofp_table_stats', {
  tableId: u8,
  pad: pad(3),
  name: fixedString(32),
  wildcards: u32,
  maxEntries: u32,
  activeCount: u32,
  lookupCount: u64,
  matchedCount: u64,
});
export type TableStats = ValueOf<typeof tableStats>;

export const tableStatsReply = struct(
  'ofp_table_stats_reply',
  { ...statsReply(StatsType.TABLE), tables: list(tableStats) },
  { tag: 'table_stats_reply' },
);
