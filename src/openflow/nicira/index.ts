/**
 * Nicira (NX) extension actions, shared by OpenFlow 1.0 and 1.3 (see docs/openflow-oxm.md):
 * `nxAction` is the union to place in a version's action union.
 */
export * from './builders';
export * from './bundle';
export * from './conntrack';
export * from './controller';
export * from './custom-action';
export * from './dec-ttl';
export * from './field-ref';
export * from './flow-control';
export * from './learn';
export * from './multipath';
export * from './nat';
export * from './note';
export * from './nx-action';
export * from './nx-header';
export * from './queue';
export * from './registers';
export * from './resubmit';
export * from './tunnel';
export * from './unknown';
