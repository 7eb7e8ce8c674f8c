import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { viperflowProperty } from './property';
import { viperflowSuite } from './suite';

const dir = mkdtempSync(join(tmpdir(), 'viperflow-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

viperflowSuite('embedded store', () => `embedded:${join(dir, 'data')}`);

viperflowProperty('embedded store', () => `embedded:${join(dir, 'property')}`, 100);
