/**
 * OFPT_GET_ASYNC_REQUEST / _REPLY, OFPT_SET_ASYNC (OpenFlow 1.3): which asynchronous messages
 * the connection receives; each mask is [master/equal, slave], bits indexed by reason.
 */
import { struct, u32 } from '../codec';
import { header } from '../header';

const asyncMasks = {
  packetInMaskMaster: u32,
  packetInMaskSlave: u32,
  portStatusMaskMaster: u32,
  portStatusMaskSlave: u32,
  flowRemovedMaskMaster: u32,
  flowRemovedMaskSlave: u32,
} as const;

export const getAsyncRequest = struct(
  'ofp_get_async_request',
  { ...header(4, 26) },
  { tag: 'get_async_request' },
);
export const getAsyncReply = struct(
  'ofp_async_config',
  { ...header(4, 27), ...asyncMasks },
  { tag: 'get_async_reply' },
);
export const setAsync = struct('ofp_async_config', { ...header(4, 28), ...asyncMasks }, { tag: 'set_async' });
