/**
 * fast-check generators of the port fields OpenFlow 1.0 and 1.3 share (1.3 widened the port
 * number and added speeds and durations around them).
 */
import { mac } from './packet/arbitraries';
import { u32, u64 } from './wire-arbitraries';

/** A port's address and its config, state and feature bitmaps (ofp_phy_port / ofp_port). */
export const portDescFields = {
  hwAddr: mac,
  config: u32,
  state: u32,
  curr: u32,
  advertised: u32,
  supported: u32,
  peer: u32,
};

/** The twelve counters of a port's statistics (ofp_port_stats). */
export const portCounterFields = {
  rxPackets: u64,
  txPackets: u64,
  rxBytes: u64,
  txBytes: u64,
  rxDropped: u64,
  txDropped: u64,
  rxErrors: u64,
  txErrors: u64,
  rxFrameErr: u64,
  rxOverErr: u64,
  rxCrcErr: u64,
  collisions: u64,
};
