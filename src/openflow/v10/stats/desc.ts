/** OFPST_DESC (0): manufacturer, hardware, software, serial number and datapath descriptions. */
import { fixedString, struct } from '../../codec';
import { StatsType } from '../constants';
import { statsReply, statsRequest } from './header';

export const descStatsRequest = struct(
  'ofp_desc_stats_request',
  { ...statsRequest(StatsType.DESC) },
  { tag: 'desc_stats_request' },
);

export const descStatsReply = struct(
  'ofp_desc_stats',
  {
    ...statsReply(StatsType.DESC),
    mfrDesc: fixedString(256),
    hwDesc: fixedString(256),
    swDesc: fixedString(256),
    serialNum: fixedString(32),
    dpDesc: fixedString(256),
  },
  { tag: 'desc_stats_reply' },
);
