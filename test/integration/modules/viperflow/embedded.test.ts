import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { viperflowSuite } from './suite';

const dir = mkdtempSync(join(tmpdir(), 'viperflow-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

viperflowSuite('embedded store', () => `embedded:${join(dir, 'data')}`);
