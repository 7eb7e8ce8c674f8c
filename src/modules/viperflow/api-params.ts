/**
 * The parameter schemas of every viperflow API, named and shaped as VLCP declares them
 * (`/work/shared/design/VLCP-API.md`). Objects allow extra properties where VLCP takes
 * `**kwargs` (stored on the object as given) and in batch items, as VLCP's checked dicts do.
 */
import { type TProperties, type TSchema, Type } from '@sinclair/typebox';
import {
  AllowedAddressPairs,
  AutoInt,
  Cidr,
  DhcpOptions,
  IdRanges,
  IpAddress,
  IpAddressList,
  LeaseTime,
  MacAddress,
  OptionalString,
  PreHostConfig,
  Routes,
} from './param-types';

const KWARGS = { additionalProperties: true } as const;
const CLOSED = { additionalProperties: false } as const;
const opt = <T extends TSchema>(t: T) => Type.Optional(t);

const ranges = { vnirange: opt(IdRanges), vlanrange: opt(IdRanges) };

/** DHCP and addressing attributes a logical network and a subnet share. */
const dhcpAttrs = {
  mtu: opt(AutoInt),
  dns_nameservers: opt(IpAddressList),
  domain_name: opt(OptionalString),
  ntp_servers: opt(IpAddressList),
  lease_time: opt(LeaseTime),
  extra_dhcp_options: opt(DhcpOptions),
};

// `vlanid` is what VLCP's VLAN driver reads and stores; `vni` the VXLAN driver's.
const lognetAttrs = { vni: opt(AutoInt), vxlan: opt(AutoInt), vlanid: opt(AutoInt), ...dhcpAttrs };

const subnetAttrs = {
  gateway: opt(IpAddress),
  allocated_start: opt(IpAddress),
  allocated_end: opt(IpAddress),
  host_routes: opt(Routes),
  pre_host_config: opt(PreHostConfig),
  ...dhcpAttrs,
};

const portAttrs = {
  mac_address: opt(MacAddress),
  ip_address: opt(IpAddress),
  hostname: opt(OptionalString),
  extra_dhcp_options: opt(DhcpOptions),
  allowed_address_pairs: opt(AllowedAddressPairs),
};

const physicalPortWhere = (defaults: boolean): TProperties => ({
  vhost: defaults ? Type.String({ default: '' }) : opt(Type.String()),
  systemid: defaults ? Type.String({ default: '%' }) : opt(Type.String()),
  bridge: defaults ? Type.String({ default: '%' }) : opt(Type.String()),
});

const batch = (name: string, item: TSchema) =>
  Type.Object({ [name]: Type.Array(item, { description: 'one transaction: all or nothing' }) }, CLOSED);
const idItem = Type.Object({ id: Type.String() }, CLOSED);

export const P = {
  createphysicalnetwork: Type.Object(
    { type: Type.String({ default: 'vlan' }), id: opt(OptionalString), ...ranges },
    KWARGS,
  ),
  createphysicalnetworks: batch(
    'networks',
    Type.Object({ id: opt(Type.String()), type: Type.String(), ...ranges }, KWARGS),
  ),
  updatephysicalnetwork: Type.Object({ id: Type.String(), ...ranges }, KWARGS),
  updatephysicalnetworks: batch('networks', Type.Object({ id: Type.String(), ...ranges }, KWARGS)),
  deletephysicalnetwork: Type.Object({ id: Type.String() }, CLOSED),
  deletephysicalnetworks: batch('networks', idItem),
  listphysicalnetworks: Type.Object({ id: opt(OptionalString) }, KWARGS),

  createphysicalport: Type.Object(
    { physicalnetwork: Type.String(), name: Type.String(), ...physicalPortWhere(true) },
    KWARGS,
  ),
  createphysicalports: batch(
    'ports',
    Type.Object({ physicalnetwork: Type.String(), name: Type.String(), ...physicalPortWhere(false) }, KWARGS),
  ),
  updatephysicalport: Type.Object({ name: Type.String(), ...physicalPortWhere(true) }, KWARGS),
  updatephysicalports: batch(
    'ports',
    Type.Object({ name: Type.String(), ...physicalPortWhere(false) }, KWARGS),
  ),
  deletephysicalport: Type.Object({ name: Type.String(), ...physicalPortWhere(true) }, CLOSED),
  deletephysicalports: batch(
    'ports',
    Type.Object({ name: Type.String(), ...physicalPortWhere(false) }, CLOSED),
  ),
  listphysicalports: Type.Object(
    { name: opt(OptionalString), physicalnetwork: opt(OptionalString), ...physicalPortWhere(false) },
    KWARGS,
  ),

  createlogicalnetwork: Type.Object(
    { physicalnetwork: Type.String(), id: opt(OptionalString), ...lognetAttrs },
    KWARGS,
  ),
  createlogicalnetworks: batch(
    'networks',
    Type.Object({ physicalnetwork: Type.String(), id: opt(Type.String()), ...lognetAttrs }, KWARGS),
  ),
  updatelogicalnetwork: Type.Object({ id: Type.String(), ...lognetAttrs }, KWARGS),
  updatelogicalnetworks: batch('networks', Type.Object({ id: Type.String(), ...lognetAttrs }, KWARGS)),
  deletelogicalnetwork: Type.Object({ id: Type.String() }, CLOSED),
  deletelogicalnetworks: batch('networks', idItem),
  listlogicalnetworks: Type.Object({ id: opt(OptionalString), physicalnetwork: opt(OptionalString) }, KWARGS),

  createlogicalport: Type.Object(
    { logicalnetwork: Type.String(), id: opt(OptionalString), subnet: opt(OptionalString), ...portAttrs },
    KWARGS,
  ),
  createlogicalports: batch(
    'ports',
    Type.Object(
      { id: opt(Type.String()), logicalnetwork: Type.String(), subnet: opt(Type.String()), ...portAttrs },
      KWARGS,
    ),
  ),
  updatelogicalport: Type.Object({ id: Type.String(), ...portAttrs }, KWARGS),
  updatelogicalports: batch('ports', Type.Object({ id: Type.String(), ...portAttrs }, KWARGS)),
  deletelogicalport: Type.Object({ id: Type.String() }, CLOSED),
  deletelogicalports: batch('ports', idItem),
  listlogicalports: Type.Object({ id: opt(OptionalString), logicalnetwork: opt(OptionalString) }, KWARGS),

  createsubnet: Type.Object(
    {
      logicalnetwork: Type.String(),
      cidr: Cidr,
      id: opt(OptionalString),
      isexternal: opt(Type.Boolean()),
      ...subnetAttrs,
    },
    KWARGS,
  ),
  createsubnets: batch(
    'subnets',
    Type.Object(
      {
        id: opt(Type.String()),
        logicalnetwork: Type.String(),
        cidr: Cidr,
        isexternal: opt(Type.Boolean()),
        ...subnetAttrs,
      },
      KWARGS,
    ),
  ),
  updatesubnet: Type.Object({ id: Type.String(), cidr: opt(Cidr), ...subnetAttrs }, KWARGS),
  updatesubnets: batch(
    'subnets',
    Type.Object({ id: Type.String(), cidr: opt(Cidr), ...subnetAttrs }, KWARGS),
  ),
  deletesubnet: Type.Object({ id: Type.String() }, CLOSED),
  deletesubnets: batch('subnets', idItem),
  listsubnets: Type.Object({ id: opt(OptionalString), logicalnetwork: opt(OptionalString) }, KWARGS),
} as const;
