/** OFPMP_PORT_DESC (13): every port of the switch. */
import { list, struct } from '../../codec';
import { ofpPort } from '../port';
import { multipartReply, multipartRequest } from './header';

export const portDescRequest = struct(
  'ofp_port_desc_request',
  { ...multipartRequest(13) },
  {
    tag: 'port_desc_request',
  },
);
export const portDescReply = struct(
  'ofp_port_desc_reply',
  { ...multipartReply(13), ports: list(ofpPort) },
  {
    tag: 'port_desc_reply',
  },
);
