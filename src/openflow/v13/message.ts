/**
 * Every OpenFlow 1.3 message as one union: `ofp13Message` decodes any message whose header
 * says version 0x04 and encodes any `Ofp13Message` by its `type`. Unions nest: multipart
 * messages by the multipart type at byte 8, experimenter messages by the experimenter id
 * at byte 8 (then the ONF exp_type at byte 12, then the bundle ctrl type at byte 20).
 */
import { union, type ValueOf } from '../codec';
import { hello } from '../hello';
import { getAsyncReply, getAsyncRequest, setAsync } from './async-config';
import { barrierReply, barrierRequest } from './barrier';
import { getConfigReply, getConfigRequest, setConfig } from './config';
import { echoReply, echoRequest } from './echo';
import { errorMsg } from './error';
import { ofp13Experimenter } from './experimenter';
import { featuresReply, featuresRequest } from './features';
import { flowMod } from './flow-mod';
import { flowRemoved } from './flow-removed';
import { groupMod } from './group-mod';
import { meterMod } from './meter-mod';
import { descReply, descRequest } from './multipart/desc';
import { experimenterMultipartReply, experimenterMultipartRequest } from './multipart/experimenter';
import {
  aggregateStatsReply,
  aggregateStatsRequest,
  flowStatsReply,
  flowStatsRequest,
} from './multipart/flow-stats';
import {
  groupDescReply,
  groupDescRequest,
  groupFeaturesReply,
  groupFeaturesRequest,
  groupStatsReply,
  groupStatsRequest,
} from './multipart/group';
import {
  meterConfigReply,
  meterConfigRequest,
  meterFeaturesReply,
  meterFeaturesRequest,
  meterStatsReply,
  meterStatsRequest,
} from './multipart/meter';
import { portDescReply, portDescRequest } from './multipart/port-desc';
import { portStatsReply, portStatsRequest } from './multipart/port-stats';
import { queueStatsReply, queueStatsRequest } from './multipart/queue-stats';
import { tableFeaturesReply, tableFeaturesRequest } from './multipart/table-features';
import { tableStatsReply, tableStatsRequest } from './multipart/table-stats';
import { packetIn } from './packet-in';
import { packetOut } from './packet-out';
import { portMod } from './port-mod';
import { portStatus } from './port-status';
import { queueGetConfigReply, queueGetConfigRequest } from './queue-config';
import { roleReply, roleRequest } from './role';
import { tableMod } from './table-mod';

export const multipartRequest13 = union(
  'ofp_multipart_request',
  [
    descRequest,
    flowStatsRequest,
    aggregateStatsRequest,
    tableStatsRequest,
    portStatsRequest,
    queueStatsRequest,
    groupStatsRequest,
    groupDescRequest,
    groupFeaturesRequest,
    meterStatsRequest,
    meterConfigRequest,
    meterFeaturesRequest,
    tableFeaturesRequest,
    portDescRequest,
    experimenterMultipartRequest,
  ],
  { at: 8, width: 2 },
);
export type MultipartRequest13 = ValueOf<typeof multipartRequest13>;

export const multipartReply13 = union(
  'ofp_multipart_reply',
  [
    descReply,
    flowStatsReply,
    aggregateStatsReply,
    tableStatsReply,
    portStatsReply,
    queueStatsReply,
    groupStatsReply,
    groupDescReply,
    groupFeaturesReply,
    meterStatsReply,
    meterConfigReply,
    meterFeaturesReply,
    tableFeaturesReply,
    portDescReply,
    experimenterMultipartReply,
  ],
  { at: 8, width: 2 },
);
export type MultipartReply13 = ValueOf<typeof multipartReply13>;

export const ofp13Message = union(
  'ofp13_message',
  [
    hello,
    errorMsg,
    echoRequest,
    echoReply,
    ofp13Experimenter,
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
    groupMod,
    portMod,
    tableMod,
    multipartRequest13,
    multipartReply13,
    barrierRequest,
    barrierReply,
    queueGetConfigRequest,
    queueGetConfigReply,
    roleRequest,
    roleReply,
    getAsyncRequest,
    getAsyncReply,
    setAsync,
    meterMod,
  ],
  { at: 1, width: 1 },
);

export type Ofp13Message = ValueOf<typeof ofp13Message>;
/** The `type` tags of every OpenFlow 1.3 message. */
export type Ofp13MessageType = Ofp13Message['type'];
