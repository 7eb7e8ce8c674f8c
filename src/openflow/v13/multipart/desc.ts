/** OFPMP_DESC (0): manufacturer, hardware, software, serial number and datapath descriptions. */
import { fixedString, struct } from '../../codec';
import { multipartReply, multipartRequest } from './header';

export const descRequest = struct('ofp_desc_request', { ...multipartRequest(0) }, { tag: 'desc_request' });

export const descReply = struct(
  'ofp_desc',
  {
    ...multipartReply(0),
    mfrDesc: fixedString(256),
    hwDesc: fixedString(256),
    swDesc: fixedString(256),
    serialNum: fixedString(32),
    dpDesc: fixedString(256),
  },
  { tag: 'desc_reply' },
);
