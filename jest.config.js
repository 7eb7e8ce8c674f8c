/** Jest: swc compiles TypeScript (types are checked by `tsc --noEmit` separately). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // ESM-only dependencies (of @fastify/static, under the docs page) are compiled to CommonJS
  // for jest; Node itself loads them natively.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie|set-cookie-parser)/)'],
  // Real-component tests start daemons; give them room, never rely on speed.
  testTimeout: 120000,
  maxWorkers: 2,
};
