/** OFPT_FEATURES_REQUEST / OFPT_FEATURES_REPLY (OpenFlow 1.0): datapath id, capabilities, ports. */
import { list, pad, struct, u8, u32, u64 } from '../codec';
import { header } from '../header';
import { MessageType, OFP10_VERSION } from './constants';
import { ofpPhyPort } from './port';

export const featuresRequest = struct(
  'ofp_features_request',
  { ...header(OFP10_VERSION, MessageType.FEATURES_REQUEST) },
  { tag: 'features_request' },
);

export const featuresReply = struct(
  'ofp_switch_features',
  {
    ...header(OFP10_VERSION, MessageType.FEATURES_REPLY),
    datapathId: u64,
    nBuffers: u32,
    nTables: u8,
    pad: pad(3),
    capabilities: u32,
    /** Bitmap of the OFPAT_* types the switch supports (1 << type). */
    actions: u32,
    ports: list(ofpPhyPort),
  },
  { tag: 'features_reply' },
);
