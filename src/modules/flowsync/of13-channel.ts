/**
 * FlowSync's channel to an OpenFlow 1.3 switch: reads the flows FlowSync owns (flow stats
 * filtered by cookie) and its groups (group-desc, filtered by id range), and applies a plan
 * as group-mods and flow-mods — group adds first, then flows, then group deletes — in one
 * atomic bundle (OVS takes group-mods inside an ONF bundle), or, if the switch refuses
 * bundles, as a stream in the same order closed by a barrier.
 */
import type { OpenflowRequestError, OpenflowSwitch, OutgoingMessage } from '../../openflow/protocol';
import { FlowModCommand, Group, GroupModCommand, NO_BUFFER, Port, Table } from '../../openflow/v13/constants';
import type { FlowChannel } from './datapath-sync';
import { type Flow, flowKey } from './flow';
import type { FlowPlan } from './flow-diff';
import type { Group as SyncGroup } from './group';
import type { GroupPlan } from './group-diff';
import { FLOWSYNC_COOKIE, FLOWSYNC_COOKIE_MASK, type Flow13, flowFromStats } from './of13-flow';
import { type Group13, groupFromDesc, groupTypeCode, isFlowSyncGroup } from './of13-group';

export class FlowSyncApplyError extends Error {
  override readonly name = 'FlowSyncApplyError';
  constructor(
    readonly switchName: string,
    readonly refused: readonly OpenflowRequestError[],
  ) {
    super(
      `switch ${switchName} refused ${refused.length} flow-/group-mod(s): ${refused.map((e) => e.message).join('; ')}`,
    );
  }
}

/** OFPET_BAD_REQUEST / OFPBRC_BAD_EXPERIMENTER: the switch does not know ONF bundles. */
function isBundleUnsupported(errors: readonly OpenflowRequestError[]): boolean {
  return errors.some((e) => e.errType === 1 && (e.code === 3 || e.code === 4));
}

/**
 * A placeholder: the connection sends each message of a batch under a fresh xid. Present so
 * that its copy of the message under the real xid (`{ ...m, xid }`) replaces a field instead
 * of adding one, which V8 does on its fast path: adding it cost about 1 µs a flow-mod, 8% of
 * a 10,000-flow install's CPU (docs/performance.md, FlowSync).
 */
const XID_PLACEHOLDER = 0;

function flowMod(command: number, f: Flow<Flow13>): OutgoingMessage {
  const v = f.value;
  const del = command === FlowModCommand.DELETE_STRICT;
  return {
    type: 'flow_mod',
    xid: XID_PLACEHOLDER,
    cookie: del ? 0n : f.cookie,
    cookieMask: 0n,
    tableId: f.table,
    command,
    idleTimeout: del ? 0 : (v.idleTimeout ?? 0),
    hardTimeout: del ? 0 : (v.hardTimeout ?? 0),
    priority: f.priority,
    bufferId: NO_BUFFER,
    outPort: Port.ANY,
    outGroup: Group.ANY,
    flags: 0,
    match: v.match,
    instructions: del ? [] : v.instructions,
  } as OutgoingMessage;
}

function groupMod(command: number, g: SyncGroup<Group13>): OutgoingMessage {
  const del = command === GroupModCommand.DELETE;
  return {
    type: 'group_mod',
    xid: XID_PLACEHOLDER,
    command,
    groupType: groupTypeCode(g.value.type),
    groupId: g.id,
    buckets: del ? [] : g.value.buckets,
  } as OutgoingMessage;
}

export function planMessages(
  plan: FlowPlan<Flow13>,
  installedCookie: (f: Flow<Flow13>) => bigint | undefined,
  groups: GroupPlan<Group13> = { add: [], modify: [], remove: [] },
): OutgoingMessage[] {
  // One array, filled in order (no intermediate arrays for a 10,000-flow plan).
  const out: OutgoingMessage[] = [];
  for (const g of groups.add) out.push(groupMod(GroupModCommand.ADD, g));
  for (const g of groups.modify) out.push(groupMod(GroupModCommand.MODIFY, g));
  for (const f of plan.add) out.push(flowMod(FlowModCommand.ADD, f));
  // MODIFY_STRICT keeps the counters but cannot change a cookie; ADD replaces the flow.
  for (const f of plan.modify)
    out.push(flowMod(installedCookie(f) === f.cookie ? FlowModCommand.MODIFY_STRICT : FlowModCommand.ADD, f));
  for (const f of plan.remove) out.push(flowMod(FlowModCommand.DELETE_STRICT, f));
  for (const g of groups.remove) out.push(groupMod(GroupModCommand.DELETE, g));
  return out;
}

export class Of13FlowChannel implements FlowChannel<Flow13, Group13> {
  private bundles: boolean;

  constructor(
    private readonly sw: OpenflowSwitch,
    options: { readonly bundles?: boolean } = {},
  ) {
    this.bundles = options.bundles ?? true;
  }

  async readInstalled(signal: AbortSignal): Promise<Iterable<Flow<Flow13>>> {
    const parts = await this.sw.requestMultipart(
      {
        type: 'flow_stats_request',
        flags: 0,
        tableId: Table.ALL,
        outPort: Port.ANY,
        outGroup: Group.ANY,
        cookie: FLOWSYNC_COOKIE,
        cookieMask: FLOWSYNC_COOKIE_MASK,
        match: { fields: [] },
      } as OutgoingMessage,
      { signal },
    );
    const flows: Flow<Flow13>[] = [];
    for (const p of parts) {
      if (p.type === 'flow_stats_reply' && 'stats' in p)
        for (const s of p.stats) flows.push(flowFromStats(s));
    }
    return flows;
  }

  async readGroups(signal: AbortSignal): Promise<Iterable<SyncGroup<Group13>>> {
    const parts = await this.sw.requestMultipart(
      { type: 'group_desc_request', flags: 0 } as OutgoingMessage,
      { signal },
    );
    const groups: SyncGroup<Group13>[] = [];
    for (const p of parts) {
      if (p.type === 'group_desc_reply' && 'groups' in p)
        for (const d of p.groups) if (isFlowSyncGroup(d.groupId)) groups.push(groupFromDesc(d));
    }
    return groups;
  }

  async apply(
    plan: FlowPlan<Flow13>,
    signal: AbortSignal,
    groups: GroupPlan<Group13> | undefined,
    installed: ReadonlyMap<string, Flow<Flow13>>,
  ): Promise<void> {
    // Only modified flows look up what they replace: no key per flow of a large install.
    const messages = planMessages(plan, (f) => installed.get(flowKey(f))?.cookie, groups);
    let refused: readonly OpenflowRequestError[];
    if (this.bundles) {
      refused = await this.sw.sendInBundle(messages, { signal });
      if (refused.length > 0 && isBundleUnsupported(refused)) {
        this.bundles = false;
        refused = await this.sw.sendWithBarrier(messages, { signal });
      }
    } else {
      refused = await this.sw.sendWithBarrier(messages, { signal });
    }
    if (refused.length > 0) throw new FlowSyncApplyError(this.sw.name, refused);
  }
}
