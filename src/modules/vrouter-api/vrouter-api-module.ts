/**
 * The `vrouterapi` module: VLCP's virtual routers — routers with static routes, and router
 * interfaces attaching viperflow subnets — kept in ObjectDB behind VLCP's vrouterapi API.
 * L3 flow modules watch one router with `watchVirtualRouter` (see docs/vrouterapi.md).
 */
import { Type } from '@sinclair/typebox';
import type { ObjectDb } from '../../objectdb';
import { defineModule } from '../runtime';
import { ObjectDbService } from '../store/store-module';
import { storeAccess } from '../viperflow/store-access';
import { vrouterApis } from './apis';

export const vrouterApiModule = defineModule({
  name: 'vrouterapi',
  description: 'Virtual routers (VLCP vrouterapi API): routers, static routes, router interfaces on subnets.',
  depends: ['store', 'viperflow'],
  config: Type.Object({}, { additionalProperties: false }),
  create(ctx) {
    let db: ObjectDb | undefined;
    const store = storeAccess(() => {
      if (db === undefined) throw new Error('vrouterapi is not started');
      return db;
    });
    return {
      start() {
        db = ctx.service(ObjectDbService);
      },
      apis: vrouterApis(store),
    };
  },
});
