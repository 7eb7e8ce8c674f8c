import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vrouterProperty } from './property';
import { vrouterSuite } from './suite';

const dir = mkdtempSync(join(tmpdir(), 'vrouterapi-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

vrouterSuite('embedded store', () => `embedded:${join(dir, 'data')}`);

vrouterProperty('embedded store', () => `embedded:${join(dir, 'property')}`, 150);
