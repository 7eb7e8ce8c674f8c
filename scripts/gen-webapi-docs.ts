/** Writes docs/webapi.md from the controller's API schemas: `npm run docs:webapi`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { controllerModules } from '../src/cli/commands/start';
import { Runtime } from '../src/modules/runtime';
import { webApiReference } from '../src/webapi/reference';

export async function currentReference(): Promise<string> {
  // Describing needs the modules' API lists, which exist once created; nothing listens.
  const runtime = new Runtime({ modules: controllerModules.filter((m) => m.name !== 'webapi') });
  await runtime.start();
  try {
    return webApiReference(runtime.describe());
  } finally {
    await runtime.stop();
  }
}

if (require.main === module) {
  currentReference().then((text) => writeFileSync(join(__dirname, '..', 'docs', 'webapi.md'), text));
}
