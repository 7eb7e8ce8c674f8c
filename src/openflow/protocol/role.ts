/**
 * Controller roles by name, and the role request/reply of each version: OFPT_ROLE_REQUEST
 * with a generation id on OpenFlow 1.3, the Nicira extension NXT_ROLE_REQUEST (no
 * generation id) on OpenFlow 1.0.
 */
import { OFP10_VERSION, OFP13_VERSION } from '../header';
import { ControllerRole } from '../v13/role';
import type { OutgoingMessage } from './switch';
import type { OpenflowMessage } from './versions';

export type RoleName = 'nochange' | 'equal' | 'master' | 'slave';

export interface RoleState {
  readonly role: RoleName;
  /** As the switch answered it; always 0 on OpenFlow 1.0 (Nicira roles have none). */
  readonly generationId: bigint;
}

const ofpCodes: Readonly<Record<RoleName, number>> = {
  nochange: ControllerRole.NOCHANGE,
  equal: ControllerRole.EQUAL,
  master: ControllerRole.MASTER,
  slave: ControllerRole.SLAVE,
};

/** nx_role: NX_ROLE_OTHER (equal), NX_ROLE_MASTER, NX_ROLE_SLAVE; there is no "no change". */
const nxCodes: Readonly<Partial<Record<RoleName, number>>> = { equal: 0, master: 1, slave: 2 };

function byCode(codes: Readonly<Partial<Record<RoleName, number>>>): ReadonlyMap<number, RoleName> {
  return new Map(Object.entries(codes).map(([name, code]) => [code, name as RoleName]));
}
const ofpNames = byCode(ofpCodes);
const nxNames = byCode(nxCodes);

/** The role request for `version`, or why there is none. */
export function roleRequest(
  version: number,
  role: RoleName,
  generationId: bigint,
): { readonly message: OutgoingMessage } | { readonly refused: string } {
  if (version === OFP13_VERSION) {
    return { message: { type: 'role_request', role: ofpCodes[role], generationId } };
  }
  if (version === OFP10_VERSION) {
    const code = nxCodes[role];
    if (code === undefined) return { refused: `the Nicira role request has no "${role}"` };
    // A 1.0 message: part of OutgoingMessage once the 1.0 union is registered, and 1.0 is
    // never negotiated before that.
    return { message: { type: 'nx_role_request', role: code } as unknown as OutgoingMessage };
  }
  return { refused: `no role request on wire version ${version}` };
}

/** The role a reply reports, or what is wrong with it. */
export function roleFromReply(
  version: number,
  reply: OpenflowMessage,
): { readonly state: RoleState } | { readonly wrong: string } {
  if (version === OFP13_VERSION && reply.type === 'role_reply') {
    const role = ofpNames.get(reply.role);
    return role
      ? { state: { role, generationId: reply.generationId } }
      : { wrong: `unknown role ${reply.role}` };
  }
  const type: string = reply.type;
  if (version === OFP10_VERSION && type === 'nx_role_reply') {
    const code = (reply as unknown as { readonly role: number }).role;
    const role = nxNames.get(code);
    return role ? { state: { role, generationId: 0n } } : { wrong: `unknown Nicira role ${code}` };
  }
  return { wrong: `expected a role reply, got ${type}` };
}
