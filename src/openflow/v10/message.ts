/**
 * Every OpenFlow 1.0 message as one union: `ofp10Message` decodes any message whose header
 * says version 0x01 and encodes any `Ofp10Message` by its `type`. Stats messages are nested
 * unions on the stats type at byte 8, vendor messages on the vendor id (then Nicira subtype).
 */
import { union, type ValueOf } from '../codec';
import { hello } from '../hello';
import { barrierReply, barrierRequest } from './barrier';
import { getConfigReply, getConfigRequest, setConfig } from './config';
import { echoReply, echoRequest } from './echo';
import { errorMsg } from './error';
import { featuresReply, featuresRequest } from './features';
import { flowMod } from './flow-mod';
import { flowRemoved } from './flow-removed';
import { packetIn } from './packet-in';
import { packetOut } from './packet-out';
import { portMod } from './port-mod';
import { portStatus } from './port-status';
import { queueGetConfigReply, queueGetConfigRequest } from './queue-config';
import { aggregateStatsReply, aggregateStatsRequest } from './stats/aggregate';
import { descStatsReply, descStatsRequest } from './stats/desc';
import { flowStatsReply, flowStatsRequest } from './stats/flow';
import { portStatsReply, portStatsRequest } from './stats/port';
import { portDescStatsReply, portDescStatsRequest } from './stats/port-desc';
import { queueStatsReply, queueStatsRequest } from './stats/queue';
import { tableStatsReply, tableStatsRequest } from './stats/table';
import { vendorStatsReply, vendorStatsRequest } from './stats/vendor';
import { vendorMsg } from './vendor';

export const statsRequest10 = union(
  'ofp_stats_request',
  [
    descStatsRequest,
    flowStatsRequest,
    aggregateStatsRequest,
    tableStatsRequest,
    portStatsRequest,
    queueStatsRequest,
    portDescStatsRequest,
    vendorStatsRequest,
  ],
  { at: 8, width: 2 },
);

export const statsReply10 = union(
  'ofp_stats_reply',
  [
    descStatsReply,
    flowStatsReply,
    aggregateStatsReply,
    tableStatsReply,
    portStatsReply,
    queueStatsReply,
    portDescStatsReply,
    vendorStatsReply,
  ],
  { at: 8, width: 2 },
);

export const ofp10Message = union(
  'ofp10_message',
  [
    hello,
    errorMsg,
    echoRequest,
    echoReply,
    vendorMsg,
    featuresRequest,
    featuresReply,
    getConfigRequest,
    getConfigReply,
    setConfig,
    packetIn,
    flowRemoved,
    portStatus,
    packetOut,
    flowMod,
    portMod,
    statsRequest10,
    statsReply10,
    barrierRequest,
    barrierReply,
    queueGetConfigRequest,
    queueGetConfigReply,
  ],
  { at: 1, width: 1 },
);

export type Ofp10Message = ValueOf<typeof ofp10Message>;
