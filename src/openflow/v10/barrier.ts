/** OFPT_BARRIER_REQUEST / OFPT_BARRIER_REPLY (OpenFlow 1.0): no body. */
import { struct } from '../codec';
import { header } from '../header';
import { MessageType, OFP10_VERSION } from './constants';

export const barrierRequest = struct(
  'ofp_barrier_request',
  { ...header(OFP10_VERSION, MessageType.BARRIER_REQUEST) },
  { tag: 'barrier_request' },
);
export const barrierReply = struct(
  'ofp_barrier_reply',
  { ...header(OFP10_VERSION, MessageType.BARRIER_REPLY) },
  { tag: 'barrier_reply' },
);
