/** The wire codec every OpenFlow struct is declared with (see docs/openflow.md). */
export * from './codec';
export * from './cursor';
export * from './errors';
export * from './fields';
export * from './json';
export * from './list';
export * from './struct';
export * from './union';
export * from './writer';
