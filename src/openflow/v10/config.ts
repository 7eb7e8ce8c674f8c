/** OFPT_GET_CONFIG_REQUEST / _REPLY and OFPT_SET_CONFIG (OpenFlow 1.0): fragment handling, miss_send_len. */
import { struct, u16 } from '../codec';
import { header } from '../header';
import { MessageType, OFP10_VERSION } from './constants';

const switchConfig = { flags: u16, missSendLen: u16 } as const;

export const getConfigRequest = struct(
  'ofp_get_config_request',
  { ...header(OFP10_VERSION, MessageType.GET_CONFIG_REQUEST) },
  { tag: 'get_config_request' },
);
export const getConfigReply = struct(
  'ofp_switch_config',
  { ...header(OFP10_VERSION, MessageType.GET_CONFIG_REPLY), ...switchConfig },
  { tag: 'get_config_reply' },
);
export const setConfig = struct(
  'ofp_switch_config',
  { ...header(OFP10_VERSION, MessageType.SET_CONFIG), ...switchConfig },
  { tag: 'set_config' },
);
