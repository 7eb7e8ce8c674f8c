/**
 * Every OpenFlow 1.3 message as one union: `ofp13Message` decodes any message whose header
 * says version 0x04 and encodes any `Ofp13Message` by its `type`.
 */
import { union, type ValueOf } from '../codec';
import { hello } from '../hello';
import { barrierReply, barrierRequest } from './barrier';
import { echoReply, echoRequest } from './echo';
import { errorMsg } from './error';
import { featuresReply, featuresRequest } from './features';
import { portDescReply, portDescRequest } from './multipart/port-desc';
import { roleReply, roleRequest } from './role';

export const multipartRequest13 = union('ofp_multipart_request', [portDescRequest], { at: 8, width: 2 });
export const multipartReply13 = union('ofp_multipart_reply', [portDescReply], { at: 8, width: 2 });

export const ofp13Message = union(
  'ofp13_message',
  [
    hello,
    errorMsg,
    echoRequest,
    echoReply,
    featuresRequest,
    featuresReply,
    multipartRequest13,
    multipartReply13,
    barrierRequest,
    barrierReply,
    roleRequest,
    roleReply,
  ],
  { at: 1, width: 1 },
);

export type Ofp13Message = ValueOf<typeof ofp13Message>;
