/** What a switch tells about itself in its features reply, as the switch-up event carries it. */
import type { DatapathId } from './datapath-id';
import type { OpenflowMessage } from './versions';

export type FeaturesReply = Extract<OpenflowMessage, { readonly type: 'features_reply' }>;

export interface SwitchFeatures {
  readonly datapathId: DatapathId;
  readonly nBuffers: number;
  readonly nTables: number;
  /** OFPC_* bits. */
  readonly capabilities: number;
  /** The whole reply as the negotiated version decodes it (1.0 adds actions and ports). */
  readonly reply: FeaturesReply;
}
