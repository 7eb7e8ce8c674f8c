/**
 * A controller runtime with everything routing needs (the switch modules, vrouterapi, l2,
 * arpresponder, l3), pointed at one private OVS; and the helpers the l3 tests share.
 */
import { arpResponderModule } from '../../../../src/modules/arp-responder';
import { type FlowSyncApi, FlowSyncService } from '../../../../src/modules/flowsync';
import { l2Module } from '../../../../src/modules/l2';
import { l3Module } from '../../../../src/modules/l3';
import { type OpenflowManager, OpenflowManagerService } from '../../../../src/modules/openflow-manager';
import type { ModuleDefinition, Runtime } from '../../../../src/modules/runtime';
import { ObjectDbService } from '../../../../src/modules/store/store-module';
import { vrouterApiModule } from '../../../../src/modules/vrouter-api';
import type { ObjectDb } from '../../../../src/objectdb';
import type { OvsInstance } from '../../../harness';
import { startControllerRuntime } from '../../../harness/controller-runtime';
import { untilWithin } from '../../../harness/until';
import { datapathPorts } from '../l2/trace';
import { SWITCH_MODULES } from '../switch-modules';

export interface L3Controller {
  readonly runtime: Runtime;
  readonly ofPort: number;
  readonly openflow: OpenflowManager;
  readonly sync: FlowSyncApi;
  readonly db: ObjectDb;
  /** viperflow and vrouterapi calls (the api name says which). */
  call(api: string, params: Record<string, unknown>): Promise<unknown>;
}

const ROUTER_APIS = /virtualrouter|routerinterface/;

export async function startL3Controller(
  ovs: OvsInstance,
  options: {
    readonly storeUrl?: string;
    readonly gatewayMac?: string;
    /** The l3 module's configuration (e.g. the ICMP error limiter). */
    readonly l3?: Record<string, unknown>;
    /** More modules to run beside the L3 set (e.g. dhcpserver for e2e tests). */
    readonly extraModules?: readonly ModuleDefinition[];
  } = {},
): Promise<L3Controller> {
  const c = await startControllerRuntime({
    what: 'l3 test controller runtime',
    modules: [
      ...SWITCH_MODULES,
      vrouterApiModule,
      l2Module,
      arpResponderModule,
      l3Module,
      ...(options.extraModules ?? []),
    ],
    services: { openflow: OpenflowManagerService, sync: FlowSyncService, db: ObjectDbService },
    storeUrl: options.storeUrl,
    ovsdb: `unix:${ovs.dbSock}`,
    config: {
      ...(options.gatewayMac !== undefined ? { arpresponder: { gatewaymac: options.gatewayMac } } : {}),
      ...(options.l3 !== undefined ? { l3: options.l3 } : {}),
    },
  });
  const { runtime } = c;
  return {
    runtime,
    ofPort: c.openflowPort,
    ...c.services,
    call: (api, params) => runtime.call(ROUTER_APIS.test(api) ? 'vrouterapi' : 'viperflow', api, params),
  };
}

export const until = untilWithin(15_000);

/** The `Datapath actions:` of an `ofproto/trace`, with datapath port numbers named. */
export async function datapathActions(ovs: OvsInstance, bridge: string, flow: string): Promise<string> {
  const out = await ovs.appctl('ofproto/trace', bridge, flow);
  const line = out.split('\n').find((l) => l.startsWith('Datapath actions:'));
  if (line === undefined) throw new Error(`no datapath actions in trace of ${flow}:\n${out}`);
  const names = await datapathPorts(ovs);
  return line
    .slice('Datapath actions:'.length)
    .trim()
    .replace(/(^|,)(\d+)(?=,|$)/g, (_m, sep: string, n: string) => `${sep}${names.get(n) ?? `dp${n}`}`);
}
