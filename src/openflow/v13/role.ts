/** OFPT_ROLE_REQUEST / OFPT_ROLE_REPLY (OpenFlow 1.3): controller role and generation id. */
import { pad, struct, u32, u64 } from '../codec';
import { header } from '../header';

const roleFields = { role: u32, pad: pad(4), generationId: u64 } as const;

export const roleRequest = struct(
  'ofp_role_request',
  { ...header(4, 24), ...roleFields },
  { tag: 'role_request' },
);
export const roleReply = struct('ofp_role_reply', { ...header(4, 25), ...roleFields }, { tag: 'role_reply' });

/** ofp_controller_role (kept here under its old name; defined in constants.ts). */
export { ControllerRole } from './constants';
