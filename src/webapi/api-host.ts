/** What the Web API needs from the module runtime: the catalogue of APIs and a way to call them. */
import type { ModuleDescription } from '../modules/runtime';

export interface ApiHost {
  modules(): readonly ModuleDescription[];
  call(module: string, api: string, params: Readonly<Record<string, unknown>>): Promise<unknown>;
}
