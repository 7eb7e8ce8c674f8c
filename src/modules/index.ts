/** The modules `vlcp-ts start` loads, in one place. Each later module adds one line here. */
import { coreModule } from './core/core-module';
import type { ModuleDefinition } from './runtime';

export const builtinModules: readonly ModuleDefinition[] = [coreModule];
