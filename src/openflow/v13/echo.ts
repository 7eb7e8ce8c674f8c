/** OFPT_ECHO_REQUEST / OFPT_ECHO_REPLY (OpenFlow 1.3): arbitrary data, echoed back. */
import { restBytes, struct } from '../codec';
import { header } from '../header';

export const echoRequest = struct(
  'ofp_echo_request',
  { ...header(4, 2), data: restBytes },
  { tag: 'echo_request' },
);
export const echoReply = struct(
  'ofp_echo_reply',
  { ...header(4, 3), data: restBytes },
  { tag: 'echo_reply' },
);
