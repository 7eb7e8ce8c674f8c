/** How errors name what a reference points at: router kinds here, viperflow's kinds there. */
import type { Ref } from '../../objectdb';
import { describeRef } from '../viperflow/ref-list';
import { idOfRouterKey } from './keys';

export function describeAnyRef(r: Ref): string {
  const port = idOfRouterKey('routerport', r.$ref);
  if (port !== null) return `router interface ${port}`;
  const router = idOfRouterKey('virtualrouter', r.$ref);
  if (router !== null) return `virtual router ${router}`;
  return describeRef(r);
}
