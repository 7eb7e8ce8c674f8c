/**
 * viperflow's API list: VLCP's names and parameters (`api-params.ts`), each call turned into
 * items (a single call is a batch of one) and run as one transaction. Create and update
 * return the objects as stored (VLCP's dump form), delete returns `{"status": "OK"}`, list
 * returns the matching objects.
 */
import { type ApiDefinition, defineApi } from '../runtime';
import { apiCalls, many, one, without } from './api-calls';
import { P } from './api-params';
import type { Params } from './attributes';
import { mapKey, objectKey, physicalPortKey, setKey } from './keys';
import { refsAt } from './list-ops';
import { createLogicalNetworks, deleteLogicalNetworks, updateLogicalNetworks } from './logicalnetwork-ops';
import { createLogicalPorts, deleteLogicalPorts, updateLogicalPorts } from './logicalport-ops';
import {
  createPhysicalNetworks,
  deletePhysicalNetworks,
  updatePhysicalNetworks,
} from './physicalnetwork-ops';
import {
  createPhysicalPorts,
  deletePhysicalPorts,
  physicalPortId,
  updatePhysicalPorts,
} from './physicalport-ops';
import type { StoreAccess } from './store-access';
import { createSubnets, deleteSubnets, updateSubnets } from './subnet-ops';

const given = (v: unknown): v is string => typeof v === 'string' && v !== '';

export function viperflowApis(store: StoreAccess): readonly ApiDefinition[] {
  const { changed, removed, list } = apiCalls(store);

  return [
    defineApi({
      name: 'createphysicalnetwork',
      description:
        'Create a physical network: type vlan (vlanrange), vxlan (vnirange) or native; extra attributes are stored.',
      params: P.createphysicalnetwork,
      handler: (p) => changed(createPhysicalNetworks, one(p, true)),
    }),
    defineApi({
      name: 'createphysicalnetworks',
      description: 'Create several physical networks in one transaction.',
      params: P.createphysicalnetworks,
      handler: (p) => changed(createPhysicalNetworks, many('networks', p, true)),
    }),
    defineApi({
      name: 'updatephysicalnetwork',
      description:
        'Change attributes of a physical network (not its type); new ranges must keep every allocated id.',
      params: P.updatephysicalnetwork,
      handler: (p) => changed(updatePhysicalNetworks, one(p, false)),
    }),
    defineApi({
      name: 'updatephysicalnetworks',
      description: 'Update several physical networks in one transaction.',
      params: P.updatephysicalnetworks,
      handler: (p) => changed(updatePhysicalNetworks, many('networks', p, false)),
    }),
    defineApi({
      name: 'deletephysicalnetwork',
      description: 'Delete a physical network that has no logical networks and no physical ports.',
      params: P.deletephysicalnetwork,
      handler: (p) => removed(deletePhysicalNetworks, one(p, false)),
    }),
    defineApi({
      name: 'deletephysicalnetworks',
      description: 'Delete several physical networks in one transaction.',
      params: P.deletephysicalnetworks,
      handler: (p) => removed(deletePhysicalNetworks, many('networks', p, false)),
    }),
    defineApi({
      name: 'listphysicalnetworks',
      description: 'Physical networks: the one with id, or all; other parameters filter by attribute.',
      params: P.listphysicalnetworks,
      handler: (p) =>
        list(
          async (st) =>
            given(p.id) ? [objectKey('physicalnetwork', p.id)] : refsAt(st, setKey('physicalnetwork')),
          without(p, 'id'),
        ),
    }),

    defineApi({
      name: 'createphysicalport',
      description:
        'Say which OVS port (name; vhost, systemid, bridge: % for any) carries a physical network.',
      params: P.createphysicalport,
      handler: (p) => changed(createPhysicalPorts, one(p, false)),
    }),
    defineApi({
      name: 'createphysicalports',
      description: 'Create several physical ports in one transaction.',
      params: P.createphysicalports,
      handler: (p) => changed(createPhysicalPorts, many('ports', p, false)),
    }),
    defineApi({
      name: 'updatephysicalport',
      description: 'Change attributes of a physical port (not its physical network).',
      params: P.updatephysicalport,
      handler: (p) => changed(updatePhysicalPorts, one(p, false)),
    }),
    defineApi({
      name: 'updatephysicalports',
      description: 'Update several physical ports in one transaction.',
      params: P.updatephysicalports,
      handler: (p) => changed(updatePhysicalPorts, many('ports', p, false)),
    }),
    defineApi({
      name: 'deletephysicalport',
      description: 'Delete a physical port.',
      params: P.deletephysicalport,
      handler: (p) => removed(deletePhysicalPorts, one(p, false)),
    }),
    defineApi({
      name: 'deletephysicalports',
      description: 'Delete several physical ports in one transaction.',
      params: P.deletephysicalports,
      handler: (p) => removed(deletePhysicalPorts, many('ports', p, false)),
    }),
    defineApi({
      name: 'listphysicalports',
      description:
        'Physical ports: the one with name (and vhost/systemid/bridge), those of a physical network, or all; other parameters filter.',
      params: P.listphysicalports,
      handler: (p) =>
        list(
          async (st) =>
            given(p.name)
              ? [physicalPortKey(physicalPortId(p))]
              : given(p.physicalnetwork)
                ? refsAt(st, mapKey('physicalnetwork', p.physicalnetwork), 'ports')
                : refsAt(st, setKey('physicalport')),
          given(p.name) ? without(p, 'name', 'vhost', 'systemid', 'bridge') : without(p, 'name'),
        ),
    }),

    defineApi({
      name: 'createlogicalnetwork',
      description:
        'Create a logical network in a physical network; it gets vlanid (vlan) or vni (vxlan) as given or the lowest free one.',
      params: P.createlogicalnetwork,
      handler: (p) => changed(createLogicalNetworks, one(p, true)),
    }),
    defineApi({
      name: 'createlogicalnetworks',
      description: 'Create several logical networks in one transaction.',
      params: P.createlogicalnetworks,
      handler: (p) => changed(createLogicalNetworks, many('networks', p, true)),
    }),
    defineApi({
      name: 'updatelogicalnetwork',
      description: 'Change attributes of a logical network (vlanid/vni must be free and in range).',
      params: P.updatelogicalnetwork,
      handler: (p) => changed(updateLogicalNetworks, one(p, false)),
    }),
    defineApi({
      name: 'updatelogicalnetworks',
      description: 'Update several logical networks in one transaction.',
      params: P.updatelogicalnetworks,
      handler: (p) => changed(updateLogicalNetworks, many('networks', p, false)),
    }),
    defineApi({
      name: 'deletelogicalnetwork',
      description: 'Delete a logical network that has no subnets and no logical ports.',
      params: P.deletelogicalnetwork,
      handler: (p) => removed(deleteLogicalNetworks, one(p, false)),
    }),
    defineApi({
      name: 'deletelogicalnetworks',
      description: 'Delete several logical networks in one transaction.',
      params: P.deletelogicalnetworks,
      handler: (p) => removed(deleteLogicalNetworks, many('networks', p, false)),
    }),
    defineApi({
      name: 'listlogicalnetworks',
      description:
        'Logical networks: the one with id, those of a physical network, or all; other parameters filter.',
      params: P.listlogicalnetworks,
      handler: (p) =>
        list(
          async (st) =>
            given(p.id)
              ? [objectKey('logicalnetwork', p.id)]
              : given(p.physicalnetwork)
                ? refsAt(st, mapKey('physicalnetwork', p.physicalnetwork), 'logicalnetworks')
                : refsAt(st, setKey('logicalnetwork')),
          without(p, 'id'),
        ),
    }),

    defineApi({
      name: 'createlogicalport',
      description:
        'Create a logical port in a logical network (and subnet); mac_address and ip_address as given or picked free.',
      params: P.createlogicalport,
      handler: (p) => changed(createLogicalPorts, one(p, true)),
    }),
    defineApi({
      name: 'createlogicalports',
      description: 'Create several logical ports in one transaction.',
      params: P.createlogicalports,
      handler: (p) => changed(createLogicalPorts, many('ports', p, true)),
    }),
    defineApi({
      name: 'updatelogicalport',
      description: 'Change attributes of a logical port (not its network or subnet).',
      params: P.updatelogicalport,
      handler: (p) => changed(updateLogicalPorts, one(p, false)),
    }),
    defineApi({
      name: 'updatelogicalports',
      description: 'Update several logical ports in one transaction.',
      params: P.updatelogicalports,
      handler: (p) => changed(updateLogicalPorts, many('ports', p, false)),
    }),
    defineApi({
      name: 'deletelogicalport',
      description: 'Delete a logical port, freeing its MAC and IP addresses.',
      params: P.deletelogicalport,
      handler: (p) => removed(deleteLogicalPorts, one(p, false)),
    }),
    defineApi({
      name: 'deletelogicalports',
      description: 'Delete several logical ports in one transaction.',
      params: P.deletelogicalports,
      handler: (p) => removed(deleteLogicalPorts, many('ports', p, false)),
    }),
    defineApi({
      name: 'listlogicalports',
      description:
        'Logical ports: the one with id, those of a logical network, or all; other parameters filter.',
      params: P.listlogicalports,
      handler: (p) =>
        list(
          async (st) =>
            given(p.id)
              ? [objectKey('logicalport', p.id)]
              : given(p.logicalnetwork)
                ? refsAt(st, mapKey('logicalnetwork', p.logicalnetwork), 'ports')
                : refsAt(st, setKey('logicalport')),
          renameNetwork(without(p, 'id')),
        ),
    }),

    defineApi({
      name: 'createsubnet',
      description:
        'Create an IPv4 subnet of a logical network (cidr, gateway, allocation pool, DHCP options).',
      params: P.createsubnet,
      handler: (p) => changed(createSubnets, one(p, true)),
    }),
    defineApi({
      name: 'createsubnets',
      description: 'Create several subnets in one transaction.',
      params: P.createsubnets,
      handler: (p) => changed(createSubnets, many('subnets', p, true)),
    }),
    defineApi({
      name: 'updatesubnet',
      description: 'Change attributes of a subnet; every address already given out must stay in the pool.',
      params: P.updatesubnet,
      handler: (p) => changed(updateSubnets, one(p, false)),
    }),
    defineApi({
      name: 'updatesubnets',
      description: 'Update several subnets in one transaction.',
      params: P.updatesubnets,
      handler: (p) => changed(updateSubnets, many('subnets', p, false)),
    }),
    defineApi({
      name: 'deletesubnet',
      description: 'Delete a subnet that no port holds an address of.',
      params: P.deletesubnet,
      handler: (p) => removed(deleteSubnets, one(p, false)),
    }),
    defineApi({
      name: 'deletesubnets',
      description: 'Delete several subnets in one transaction.',
      params: P.deletesubnets,
      handler: (p) => removed(deleteSubnets, many('subnets', p, false)),
    }),
    defineApi({
      name: 'listsubnets',
      description: 'Subnets: the one with id, those of a logical network, or all; other parameters filter.',
      params: P.listsubnets,
      handler: (p) =>
        list(
          async (st) =>
            given(p.id)
              ? [objectKey('subnet', p.id)]
              : given(p.logicalnetwork)
                ? refsAt(st, mapKey('logicalnetwork', p.logicalnetwork), 'subnets')
                : refsAt(st, setKey('subnet')),
          renameNetwork(without(p, 'id')),
        ),
    }),
  ];
}

/** Ports and subnets store their logical network as `network`; the parameter is `logicalnetwork`. */
function renameNetwork(filters: Params): Params {
  if (filters.logicalnetwork === undefined) return filters;
  const { logicalnetwork, ...rest } = filters;
  return { ...rest, network: logicalnetwork };
}
