/** Controller roles by name, as `OpenflowSwitch.role()` takes and returns them (OpenFlow 1.3 codes). */
import { ControllerRole } from '../v13/role';

export type RoleName = 'nochange' | 'equal' | 'master' | 'slave';

export interface RoleState {
  readonly role: RoleName;
  readonly generationId: bigint;
}

const codes: Readonly<Record<RoleName, number>> = {
  nochange: ControllerRole.NOCHANGE,
  equal: ControllerRole.EQUAL,
  master: ControllerRole.MASTER,
  slave: ControllerRole.SLAVE,
};

const names = new Map<number, RoleName>(Object.entries(codes).map(([n, c]) => [c, n as RoleName]));

export function roleCode(role: RoleName): number {
  return codes[role];
}

/** The name of an ofp_controller_role code, or undefined for a code the spec does not define. */
export function roleName(code: number): RoleName | undefined {
  return names.get(code);
}
