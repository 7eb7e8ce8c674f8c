/** Private OVS, Redis, ZooKeeper and network namespaces for tests; see docs/testing.md. */
export { cleanupAll, HARNESS_ROOT, registerCleanup } from './cleanup';
export type { Dhclient } from './dhclient';
export { startDhclient } from './dhclient';
export type { DummyPortOptions } from './dummy-port';
export { addDummyPort, dummyPortArgs, txPcapPath } from './dummy-port';
export { dumpFlowsNoStats, flowPacketCounts } from './flow-dump';
export type { Netns, PortInNetns } from './netns';
export { addInternalPort, addVethPort, createNetns, ofport, uniqueName } from './netns';
export type { BridgeOptions, OvsInstance, OvsOptions } from './ovs';
export { startOvs } from './ovs';
export type { OvsdbClusterInstance, OvsdbServerInstance, OvsdbServerOptions } from './ovsdb-server';
export { startOvsdbCluster, startOvsdbServer } from './ovsdb-server';
export type { ChunkedPing, PingSummary } from './ping';
export {
  icmpInEchos,
  pingChunk,
  pingOutput,
  pings,
  reachable,
  startChunkedPing,
  unreachable,
} from './ping';
export { freePort } from './ports';
export type { RedisInstance, RedisOptions } from './redis';
export { startRedis } from './redis';
export { CommandError, run } from './run';
export type { TcpProxy } from './tcp-proxy';
export { startTcpProxy } from './tcp-proxy';
export type { TestCertificate } from './tls';
export { selfSignedCert } from './tls';
export type { HostController, OvsHost, TwoHostsOptions } from './two-hosts';
export { startTwoHosts } from './two-hosts';
export { eventually, until, untilWithin } from './until';
export type { ZookeeperInstance } from './zookeeper';
export { startZookeeper } from './zookeeper';
