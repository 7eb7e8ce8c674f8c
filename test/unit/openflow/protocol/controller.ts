/** A listener on 127.0.0.1:0 with its own scheduler, for the connection tests. */
import { Scheduler } from '../../../../src/async';
import {
  OpenflowListener,
  type OpenflowListenerOptions,
  SwitchDownEvent,
  type SwitchDownFields,
  SwitchMessageEvent,
  type SwitchMessageFields,
  SwitchUpEvent,
  type SwitchUpFields,
  toDatapathId,
} from '../../../../src/openflow/protocol';

export interface TestController {
  readonly scheduler: Scheduler;
  readonly listener: OpenflowListener;
  readonly port: number;
  /** Every openflow event in the order dispatched. */
  readonly log: string[];
  readonly messages: SwitchMessageFields[];
  nextUp(dpid?: bigint): Promise<SwitchUpFields>;
  nextDown(dpid?: bigint): Promise<SwitchDownFields>;
  close(): Promise<void>;
}

export async function startController(
  options: Omit<Partial<OpenflowListenerOptions>, 'scheduler'> = {},
): Promise<TestController> {
  const scheduler = new Scheduler();
  const listener = await OpenflowListener.listen('ptcp:0:127.0.0.1', { scheduler, ...options });
  const log: string[] = [];
  const messages: SwitchMessageFields[] = [];
  scheduler.subscribe(SwitchUpEvent.match(), (e) => log.push(`up ${e.datapathId} ${e.connectionId}`));
  scheduler.subscribe(SwitchDownEvent.match(), (e) => log.push(`down ${e.datapathId} ${e.connectionId}`));
  scheduler.subscribe(SwitchMessageEvent.match(), (e) => {
    log.push(`${e.msgType} ${e.datapathId} ${e.message.xid}`);
    messages.push(e);
  });
  const wait = { timeout: 10_000 };
  return {
    scheduler,
    listener,
    port: listener.port!,
    log,
    messages,
    nextUp: (dpid) =>
      scheduler.waitFor(
        SwitchUpEvent.match(dpid === undefined ? {} : { datapathId: toDatapathId(dpid) }),
        wait,
      ),
    nextDown: (dpid) =>
      scheduler.waitFor(
        SwitchDownEvent.match(dpid === undefined ? {} : { datapathId: toDatapathId(dpid) }),
        wait,
      ),
    close: () => listener.close(),
  };
}
