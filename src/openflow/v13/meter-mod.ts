/** OFPT_METER_MOD (OpenFlow 1.3) and the meter bands it (and meter-config replies) carry. */
import { constant, length, list, pad, restBytes, struct, u8, u16, u32, union, type ValueOf } from '../codec';
import { header } from '../header';

export const meterBandDrop = struct(
  'ofp_meter_band_drop',
  { bandType: constant(u16, 1), len: length(u16), rate: u32, burstSize: u32, pad: pad(4) },
  { tag: 'drop' },
);

export const meterBandDscpRemark = struct(
  'ofp_meter_band_dscp_remark',
  { bandType: constant(u16, 2), len: length(u16), rate: u32, burstSize: u32, precLevel: u8, pad: pad(3) },
  { tag: 'dscp_remark' },
);

export const meterBandExperimenter = struct(
  'ofp_meter_band_experimenter',
  {
    bandType: constant(u16, 0xffff),
    len: length(u16),
    rate: u32,
    burstSize: u32,
    experimenter: u32,
    data: restBytes,
  },
  { tag: 'experimenter' },
);

export const meterBand = union(
  'ofp_meter_band',
  [meterBandDrop, meterBandDscpRemark, meterBandExperimenter],
  {
    at: 0,
    width: 2,
  },
);
export type MeterBand = ValueOf<typeof meterBand>;

export const meterBandList = list(meterBand);

export const meterMod = struct(
  'ofp_meter_mod',
  { ...header(4, 29), command: u16, flags: u16, meterId: u32, bands: meterBandList },
  { tag: 'meter_mod' },
);
export type MeterMod = ValueOf<typeof meterMod>;
