import { buildProgram } from '../../../src/cli/main';

describe('vlcp-ts program', () => {
  it('is named vlcp-ts and reports the package version', () => {
    const program = buildProgram();
    expect(program.name()).toBe('vlcp-ts');
    expect(program.version()).toBe(require('../../../package.json').version);
  });
});
