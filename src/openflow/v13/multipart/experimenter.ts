/** OFPMP_EXPERIMENTER (0xffff): an experimenter's multipart body, kept as bytes. */
import { restBytes, struct, u32 } from '../../codec';
import { multipartReply, multipartRequest } from './header';

export const experimenterMultipartRequest = struct(
  'ofp_experimenter_multipart_request',
  { ...multipartRequest(0xffff), experimenter: u32, expType: u32, data: restBytes },
  { tag: 'experimenter_multipart_request' },
);

export const experimenterMultipartReply = struct(
  'ofp_experimenter_multipart_reply',
  { ...multipartReply(0xffff), experimenter: u32, expType: u32, data: restBytes },
  { tag: 'experimenter_multipart_reply' },
);
