/** OFPT_GET_CONFIG_REQUEST / _REPLY, OFPT_SET_CONFIG (OpenFlow 1.3): fragment handling and miss_send_len. */
import { struct, u16 } from '../codec';
import { header } from '../header';

export const getConfigRequest = struct(
  'ofp_get_config_request',
  { ...header(4, 7) },
  { tag: 'get_config_request' },
);

const switchConfig = { flags: u16, missSendLen: u16 } as const;

export const getConfigReply = struct(
  'ofp_switch_config',
  { ...header(4, 8), ...switchConfig },
  { tag: 'get_config_reply' },
);
export const setConfig = struct(
  'ofp_switch_config',
  { ...header(4, 9), ...switchConfig },
  { tag: 'set_config' },
);
