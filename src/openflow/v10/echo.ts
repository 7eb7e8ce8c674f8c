/** OFPT_ECHO_REQUEST / OFPT_ECHO_REPLY (OpenFlow 1.0): arbitrary data, echoed back. */
import { restBytes, struct } from '../codec';
import { header } from '../header';
import { MessageType, OFP10_VERSION } from './constants';

export const echoRequest = struct(
  'ofp_echo_request',
  { ...header(OFP10_VERSION, MessageType.ECHO_REQUEST), data: restBytes },
  { tag: 'echo_request' },
);
export const echoReply = struct(
  'ofp_echo_reply',
  { ...header(OFP10_VERSION, MessageType.ECHO_REPLY), data: restBytes },
  { tag: 'echo_reply' },
);
