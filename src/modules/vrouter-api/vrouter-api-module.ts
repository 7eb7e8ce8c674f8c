/**
 * The `vrouterapi` module: VLCP's virtual routers — routers with static routes, and router
 * interfaces attaching viperflow subnets — kept in ObjectDB behind VLCP's vrouterapi API.
 * L3 flow modules watch one router with `watchVirtualRouter` (see docs/vrouterapi.md). At
 * start it gives a router number to routers stored without one (router-number.ts).
 */
import { Type } from '@sinclair/typebox';
import type { ObjectDb } from '../../objectdb';
import { defineModule } from '../runtime';
import { ObjectDbService } from '../store/store-module';
import { storeAccess } from '../viperflow/store-access';
import { vrouterApis } from './apis';
import { numberUnnumberedRouters } from './router-number';

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
      async start() {
        db = ctx.service(ObjectDbService);
        // Routers stored before router numbers existed get theirs before l3 starts (l3
        // routes only numbered routers). A failure leaves them to their next update.
        try {
          const numbered = await store.write(numberUnnumberedRouters);
          if (numbered.length > 0)
            ctx.logger.info(
              { routers: numbered.slice(0, 20), count: numbered.length },
              'numbered virtual routers',
            );
        } catch (err) {
          ctx.logger.error({ err }, 'cannot number the virtual routers stored without a router number');
        }
      },
      apis: vrouterApis(store),
    };
  },
});
