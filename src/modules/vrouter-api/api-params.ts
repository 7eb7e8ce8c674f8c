/**
 * The parameter schemas of every vrouterapi API, named and shaped as VLCP declares them
 * (`/work/shared/design/VLCP-API.md`). Objects allow extra properties where VLCP takes
 * `**kwargs` (stored as given) and in batch items, as VLCP's checked dicts do.
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { IpAddress, OptionalString, Routes } from '../viperflow/param-types';

const KWARGS = { additionalProperties: true } as const;
const CLOSED = { additionalProperties: false } as const;
const opt = <T extends TSchema>(t: T) => Type.Optional(t);

const batch = (name: string, item: TSchema) =>
  Type.Object({ [name]: Type.Array(item, { description: 'one transaction: all or nothing' }) }, CLOSED);

const where = { router: Type.String(), subnet: Type.String() };

export const P = {
  createvirtualrouter: Type.Object({ id: opt(OptionalString), routes: opt(Routes) }, KWARGS),
  createvirtualrouters: batch(
    'routers',
    Type.Object({ id: opt(Type.String()), routes: opt(Routes) }, KWARGS),
  ),
  updatevirtualrouter: Type.Object({ id: Type.String(), routes: opt(Routes) }, KWARGS),
  updatevirtualrouters: batch('routers', Type.Object({ id: Type.String(), routes: opt(Routes) }, KWARGS)),
  deletevirtualrouter: Type.Object({ id: Type.String() }, CLOSED),
  deletevirtualrouters: batch('routers', Type.Object({ id: Type.String() }, CLOSED)),
  listvirtualrouters: Type.Object({ id: opt(OptionalString) }, KWARGS),

  addrouterinterface: Type.Object({ ...where, id: opt(OptionalString), ip_address: opt(IpAddress) }, KWARGS),
  addrouterinterfaces: batch(
    'interfaces',
    Type.Object({ ...where, id: opt(Type.String()), ip_address: opt(IpAddress) }, KWARGS),
  ),
  removerouterinterface: Type.Object(where, CLOSED),
  removerouterinterfaces: batch('interfaces', Type.Object(where, CLOSED)),
  listrouterinterfaces: Type.Object({ id: Type.String() }, KWARGS),
} as const;
