/** OFPST_VENDOR (0xffff): a vendor id and the vendor's own body, kept raw (Nicira NXST_* included). */
import { restBytes, struct, u32 } from '../../codec';
import { StatsType } from '../constants';
import { statsReply, statsRequest } from './header';

export const vendorStatsRequest = struct(
  'ofp_vendor_stats_request',
  { ...statsRequest(StatsType.VENDOR), vendor: u32, data: restBytes },
  { tag: 'vendor_stats_request' },
);

export const vendorStatsReply = struct(
  'ofp_vendor_stats_reply',
  { ...statsReply(StatsType.VENDOR), vendor: u32, data: restBytes },
  { tag: 'vendor_stats_reply' },
);
