/**
 * OFPT_QUEUE_GET_CONFIG_REQUEST / _REPLY (OpenFlow 1.0): the queues of a port and their
 * properties (min-rate; unknown properties kept raw).
 */
import { constant, length, list, pad, restBytes, struct, u16, u32, union, type ValueOf } from '../codec';
import { header } from '../header';
import { MessageType, OFP10_VERSION, QueueProperty } from './constants';

const propNone = struct(
  'ofp_queue_prop_header',
  { property: constant(u16, QueueProperty.NONE), len: length(u16), pad: pad(4) },
  { tag: 'none' },
);

const propMinRate = struct(
  'ofp_queue_prop_min_rate',
  { property: constant(u16, QueueProperty.MIN_RATE), len: length(u16), pad: pad(4), rate: u16, pad2: pad(6) },
  { tag: 'min_rate' },
);

/** A property 1.0 does not define: its code and every byte after the length. */
const propUnknown = struct(
  'ofp_queue_prop_header',
  { property: u16, len: length(u16), data: restBytes },
  { tag: 'unknown' },
);

export const queueProperty = union('ofp_queue_prop', [propNone, propMinRate], {
  at: 0,
  width: 2,
  fallback: propUnknown,
});
export type QueuePropertyValue = ValueOf<typeof queueProperty>;

export const packetQueue = struct('ofp_packet_queue', {
  queueId: u32,
  len: length(u16),
  pad: pad(2),
  properties: list(queueProperty),
});
export type PacketQueue = ValueOf<typeof packetQueue>;

export const queueGetConfigRequest = struct(
  'ofp_queue_get_config_request',
  { ...header(OFP10_VERSION, MessageType.QUEUE_GET_CONFIG_REQUEST), port: u16, pad: pad(2) },
  { tag: 'queue_get_config_request' },
);

export const queueGetConfigReply = struct(
  'ofp_queue_get_config_reply',
  {
    ...header(OFP10_VERSION, MessageType.QUEUE_GET_CONFIG_REPLY),
    port: u16,
    pad: pad(6),
    queues: list(packetQueue),
  },
  { tag: 'queue_get_config_reply' },
);
