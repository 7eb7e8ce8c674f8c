/** OFPMP_METER (9), OFPMP_METER_CONFIG (10), OFPMP_METER_FEATURES (11): meter counters, bands, limits. */
import { length, list, pad, struct, u8, u16, u32, u64, type ValueOf } from '../../codec';
import { meterBandList } from '../meter-mod';
import { multipartReply, multipartRequest } from './header';

export const meterStatsRequest = struct(
  'ofp_meter_stats_request',
  { ...multipartRequest(9), meterId: u32, pad2: pad(4) },
  { tag: 'meter_stats_request' },
);

export const meterBandStats = struct('ofp_meter_band_stats', { packetBandCount: u64, byteBandCount: u64 });

export const meterStats = struct('ofp_meter_stats', {
  meterId: u32,
  len: length(u16),
  pad: pad(6),
  flowCount: u32,
  packetInCount: u64,
  byteInCount: u64,
  durationSec: u32,
  durationNsec: u32,
  bandStats: list(meterBandStats),
});
export type MeterStats = ValueOf<typeof meterStats>;

export const meterStatsReply = struct(
  'ofp_meter_stats_reply',
  { ...multipartReply(9), stats: list(meterStats) },
  { tag: 'meter_stats_reply' },
);

export const meterConfigRequest = struct(
  'ofp_meter_config_request',
  { ...multipartRequest(10), meterId: u32, pad2: pad(4) },
  { tag: 'meter_config_request' },
);

export const meterConfig = struct('ofp_meter_config', {
  length: length(u16),
  flags: u16,
  meterId: u32,
  bands: meterBandList,
});
export type MeterConfig = ValueOf<typeof meterConfig>;

export const meterConfigReply = struct(
  'ofp_meter_config_reply',
  { ...multipartReply(10), meters: list(meterConfig) },
  { tag: 'meter_config_reply' },
);

export const meterFeaturesRequest = struct(
  'ofp_meter_features_request',
  { ...multipartRequest(11) },
  { tag: 'meter_features_request' },
);

export const meterFeaturesReply = struct(
  'ofp_meter_features',
  {
    ...multipartReply(11),
    maxMeter: u32,
    bandTypes: u32,
    capabilities: u32,
    maxBands: u8,
    maxColor: u8,
    pad2: pad(2),
  },
  { tag: 'meter_features_reply' },
);
