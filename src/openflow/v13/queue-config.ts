/** OFPT_QUEUE_GET_CONFIG_REQUEST / _REPLY (OpenFlow 1.3): a port's queues and their properties. */
import { constant, length, list, pad, restBytes, struct, u16, u32, union, type ValueOf } from '../codec';
import { header } from '../header';

function rateProperty<const Tag extends string>(name: string, code: number, tag: Tag) {
  return struct(
    name,
    { property: constant(u16, code), len: length(u16), pad: pad(4), rate: u16, pad2: pad(6) },
    { tag },
  );
}

export const queuePropMinRate = rateProperty('ofp_queue_prop_min_rate', 1, 'min_rate');
export const queuePropMaxRate = rateProperty('ofp_queue_prop_max_rate', 2, 'max_rate');
export const queuePropExperimenter = struct(
  'ofp_queue_prop_experimenter',
  {
    property: constant(u16, 0xffff),
    len: length(u16),
    pad: pad(4),
    experimenter: u32,
    pad2: pad(4),
    data: restBytes,
  },
  { tag: 'experimenter' },
);

export const queueProperty = union(
  'ofp_queue_prop',
  [queuePropMinRate, queuePropMaxRate, queuePropExperimenter],
  {
    at: 0,
    width: 2,
  },
);
export type QueueProperty = ValueOf<typeof queueProperty>;

export const packetQueue = struct('ofp_packet_queue', {
  queueId: u32,
  port: u32,
  len: length(u16),
  pad: pad(6),
  properties: list(queueProperty),
});
export type PacketQueue = ValueOf<typeof packetQueue>;

export const queueGetConfigRequest = struct(
  'ofp_queue_get_config_request',
  { ...header(4, 22), port: u32, pad: pad(4) },
  { tag: 'queue_get_config_request' },
);

export const queueGetConfigReply = struct(
  'ofp_queue_get_config_reply',
  { ...header(4, 23), port: u32, pad: pad(4), queues: list(packetQueue) },
  { tag: 'queue_get_config_reply' },
);
