/** OFPT_BARRIER_REQUEST / OFPT_BARRIER_REPLY (OpenFlow 1.3): no body. */
import { struct } from '../codec';
import { header } from '../header';

export const barrierRequest = struct('ofp_barrier_request', { ...header(4, 20) }, { tag: 'barrier_request' });
export const barrierReply = struct('ofp_barrier_reply', { ...header(4, 21) }, { tag: 'barrier_reply' });
