/**
 * The `viperflow` module: the logical-network model of VLCP — physical networks and ports,
 * logical networks, subnets, logical ports — kept in ObjectDB behind VLCP's viperflow API.
 * Flow modules watch the stored objects (see docs/viperflow.md for the keys).
 */
import { Type } from '@sinclair/typebox';
import type { ObjectDb } from '../../objectdb';
import { defineModule } from '../runtime';
import { ObjectDbService } from '../store/store-module';
import { viperflowApis } from './apis';
import { storeAccess } from './store-access';

export const viperflowModule = defineModule({
  name: 'viperflow',
  description:
    'Logical networks (VLCP viperflow API): physical networks and ports, logical networks, subnets, logical ports.',
  depends: ['store'],
  config: Type.Object({}, { additionalProperties: false }),
  create(ctx) {
    let db: ObjectDb | undefined;
    const store = storeAccess(() => {
      if (db === undefined) throw new Error('viperflow is not started');
      return db;
    });
    return {
      start() {
        db = ctx.service(ObjectDbService);
      },
      apis: viperflowApis(store),
    };
  },
});
