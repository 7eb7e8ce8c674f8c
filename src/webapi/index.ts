/** The Web API: fastify server over the module runtime, and its module. */
export type { ApiHost } from './api-host';
export { LiteralError, parseLiteral } from './literal';
export type { WebApiOptions } from './server';
export { buildWebApi } from './server';
export { webApiModule } from './webapi-module';
