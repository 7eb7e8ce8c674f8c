/** OFPT_FEATURES_REQUEST / OFPT_FEATURES_REPLY (OpenFlow 1.3): the datapath id and capabilities. */
import { pad, struct, u8, u32, u64 } from '../codec';
import { header } from '../header';

export const featuresRequest = struct(
  'ofp_features_request',
  { ...header(4, 5) },
  { tag: 'features_request' },
);

export const featuresReply = struct(
  'ofp_switch_features',
  {
    ...header(4, 6),
    datapathId: u64,
    nBuffers: u32,
    nTables: u8,
    auxiliaryId: u8,
    pad: pad(2),
    capabilities: u32,
    reserved: u32,
  },
  { tag: 'features_reply' },
);
