/**
 * Plain OpenFlow 1.3 values for tests that need one and care about a field or two: every
 * other field at its neutral value (no buffer, any port/group, empty match and instructions).
 */
import { Group, NO_BUFFER, Port } from '../../../../src/openflow/v13/constants';
import type { FlowMod } from '../../../../src/openflow/v13/flow-mod';
import type { OfpPort } from '../../../../src/openflow/v13/port';

/** An ADD flow-mod for table 0 at priority 0 that matches everything and drops, with `fields` over it. */
export function sampleFlowMod(fields: Partial<FlowMod> = {}): FlowMod {
  return {
    type: 'flow_mod',
    xid: 1,
    cookie: 0n,
    cookieMask: 0n,
    tableId: 0,
    command: 0,
    idleTimeout: 0,
    hardTimeout: 0,
    priority: 0,
    bufferId: NO_BUFFER,
    outPort: Port.ANY,
    outGroup: Group.ANY,
    flags: 0,
    match: { fields: [] },
    instructions: [],
    ...fields,
  };
}

/** A port numbered `portNo`, named p<portNo>, all flags and speeds zero, with `fields` over it. */
export function samplePort(portNo: number, fields: Partial<OfpPort> = {}): OfpPort {
  return {
    portNo,
    hwAddr: '00:00:00:00:00:01' as OfpPort['hwAddr'],
    name: `p${portNo}`,
    config: 0,
    state: 0,
    curr: 0,
    advertised: 0,
    supported: 0,
    peer: 0,
    currSpeed: 0,
    maxSpeed: 0,
    ...fields,
  };
}
