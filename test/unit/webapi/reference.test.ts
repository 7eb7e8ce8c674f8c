import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentReference } from '../../../scripts/gen-webapi-docs';

describe('docs/webapi.md', () => {
  it('matches the API schemas (regenerate with npm run docs:webapi)', async () => {
    const onDisk = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'webapi.md'), 'utf8');
    expect(onDisk).toBe(await currentReference());
  });
});
