/**
 * What the controller knows of each connected switch: version, address, features and its
 * ports (from port-desc at connect, kept current by port-status). Fed by the OpenFlow
 * listener's events; read by the `listswitches` API and by other modules.
 */
import type { Logger } from 'pino';
import type { Scheduler, Subscription } from '../../async';
import type { MacAddress } from '../../openflow/packet/mac-address';
import {
  type DatapathId,
  formatDatapathId,
  type OpenflowSwitch,
  SwitchDownEvent,
  SwitchUpEvent,
  switchMessage,
  versionLabel,
} from '../../openflow/protocol';

export interface SwitchPort {
  readonly portNo: number;
  readonly name: string;
  readonly hwAddr: MacAddress;
  readonly config: number;
  readonly state: number;
}

export interface SwitchInfo {
  readonly datapathId: DatapathId;
  readonly version: string;
  readonly remote: string;
  readonly connectedAt: Date;
  readonly nTables: number;
  readonly ports: ReadonlyMap<number, SwitchPort>;
  readonly connection: OpenflowSwitch;
}

/** OFPPR_DELETE, the same in 1.0 and 1.3. */
const PORT_DELETED = 1;

function portOf(p: SwitchPort): SwitchPort {
  return { portNo: p.portNo, name: p.name, hwAddr: p.hwAddr, config: p.config, state: p.state };
}

export class SwitchRegistry {
  private readonly switches = new Map<DatapathId, SwitchInfo & { ports: Map<number, SwitchPort> }>();
  private readonly subscriptions: Subscription[] = [];

  constructor(
    scheduler: Scheduler,
    private readonly logger: Logger,
  ) {
    this.subscriptions.push(
      scheduler.subscribe(SwitchUpEvent.match(), (e) => {
        const info = {
          datapathId: e.datapathId,
          version: versionLabel(e.version),
          remote: e.remote,
          connectedAt: new Date(),
          nTables: e.features.nTables,
          ports: new Map<number, SwitchPort>(),
          connection: e.connection,
        };
        this.switches.set(e.datapathId, info);
        // The connection itself logs "switch up"/"switch down" at info; this is the registry's view.
        this.logger.debug(
          { dpid: formatDatapathId(e.datapathId), version: info.version, remote: e.remote },
          'switch registered',
        );
        void this.readPorts(info);
      }),
      scheduler.subscribe(SwitchDownEvent.match(), (e) => {
        const info = this.switches.get(e.datapathId);
        if (info?.connection.connectionId !== e.connectionId) return;
        this.switches.delete(e.datapathId);
        this.logger.debug({ dpid: formatDatapathId(e.datapathId), reason: e.reason }, 'switch unregistered');
      }),
      scheduler.subscribe(switchMessage('port_status'), (e) => {
        const info = this.switches.get(e.datapathId);
        if (info === undefined) return;
        const port = portOf(e.message.desc);
        if (e.message.reason === PORT_DELETED) info.ports.delete(port.portNo);
        else info.ports.set(port.portNo, port);
      }),
    );
  }

  get(datapathId: DatapathId): SwitchInfo | undefined {
    return this.switches.get(datapathId);
  }

  list(): readonly SwitchInfo[] {
    return [...this.switches.values()].sort((a, b) => (a.datapathId < b.datapathId ? -1 : 1));
  }

  close(): void {
    for (const s of this.subscriptions) s.unsubscribe();
  }

  private async readPorts(info: SwitchInfo & { ports: Map<number, SwitchPort> }): Promise<void> {
    const sw = info.connection;
    try {
      if (sw.version === 0x04) {
        const parts = await sw.requestMultipart({ type: 'port_desc_request', flags: 0 });
        for (const part of parts) {
          if (part.type === 'port_desc_reply')
            for (const p of part.ports) info.ports.set(p.portNo, portOf(p));
        }
      } else {
        const features = sw.features.reply;
        if (features.type === 'features_reply' && 'ports' in features) {
          for (const p of features.ports) info.ports.set(p.portNo, portOf(p));
        }
      }
    } catch (err) {
      if (sw.isUp)
        this.logger.warn({ datapathId: info.datapathId.toString(16), err }, 'reading ports failed');
    }
  }
}
