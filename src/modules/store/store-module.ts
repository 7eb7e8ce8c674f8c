/**
 * The `store` module: opens ObjectDB (embedded by default; Redis or ZooKeeper for a cluster)
 * before any module that keeps configuration starts, and closes it last. Other modules reach
 * it through the ObjectDbService token.
 */
import { Type } from '@sinclair/typebox';
import { Counter } from 'prom-client';
import { copyStore, DEFAULT_OBJECTDB_URL, exportFile, type ObjectDb, openObjectDb } from '../../objectdb';
import { defineApi, defineModule, provide, redactUrl, serviceToken } from '../runtime';

export const ObjectDbService = serviceToken<ObjectDb>('objectdb');

export const storeModule = defineModule({
  name: 'store',
  description: 'The transactional store (ObjectDB) every module keeps its configuration in.',
  depends: [],
  config: Type.Object(
    {
      url: Type.String({
        default: DEFAULT_OBJECTDB_URL,
        pattern: '^(embedded:.+|redis://.+|rediss://.+|redis-sentinel://.+|zookeeper://.+)$',
        description:
          'an ObjectDB URL: embedded:<dir>, redis://host:port/db, redis-sentinel://..., zookeeper://host:port,.../chroot',
      }),
    },
    { additionalProperties: false },
  ),
  create(ctx) {
    let db: ObjectDb | undefined;
    return {
      async start() {
        db = await openObjectDb(ctx.config.url);
        const store = db;
        new Counter({
          name: 'vlcp_objectdb_transaction_retries_total',
          help: 'ObjectDB transactions that ran again because a key they read changed',
          registers: [ctx.metrics],
          collect() {
            this.reset();
            this.inc(store.retries);
          },
        });
        ctx.logger.info({ url: redactUrl(ctx.config.url) }, 'store open');
      },
      async stop() {
        await db?.close();
      },
      services: () => [provide(ObjectDbService, db!)],
      apis: [
        defineApi({
          name: 'info',
          description: 'Which store this controller uses.',
          params: Type.Object({}, { additionalProperties: false }),
          handler: () => ({ url: redactUrl(ctx.config.url), backend: ctx.config.url.split(':')[0] }),
        }),
        defineApi({
          name: 'export',
          description:
            'The whole store at one commit, as `vlcp-ts store export` writes it: a backup of a running controller (also of an embedded store, which the CLI cannot open while the controller holds it). `vlcp-ts store export --api URL` saves it to a file for `vlcp-ts store import`.',
          params: Type.Object({}, { additionalProperties: false }),
          handler: async () => {
            if (db === undefined) throw new Error('the store is not open');
            return exportFile(await copyStore(db), db.backend.kind);
          },
        }),
      ],
    };
  },
});
