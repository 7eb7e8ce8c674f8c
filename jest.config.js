/** Jest: swc compiles TypeScript (types are checked by `tsc --noEmit` separately). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // Real-component tests start daemons; give them room, never rely on speed.
  testTimeout: 120000,
  maxWorkers: 2,
};
