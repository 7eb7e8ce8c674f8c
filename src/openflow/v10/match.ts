/**
 * ofp_match (OpenFlow 1.0) as a wire struct. Its value is `Ofp10Match` (match-spec.ts): every
 * field with the raw wildcard word, so any 40 bytes decode and encode back unchanged; build
 * it from an `Ofp10MatchSpec` with `ofp10Match(spec)`.
 */
import { type Codec, ipv4, mac, pad, struct, u8, u16, u32 } from '../codec';
import type { Ofp10Match } from './match-spec';

export const OFP10_MATCH_SIZE = 40;

export const ofpMatch: Codec<Ofp10Match> = struct('ofp_match', {
  wildcards: u32,
  inPort: u16,
  dlSrc: mac,
  dlDst: mac,
  dlVlan: u16,
  dlVlanPcp: u8,
  pad1: pad(1),
  dlType: u16,
  nwTos: u8,
  nwProto: u8,
  pad2: pad(2),
  nwSrc: ipv4,
  nwDst: ipv4,
  tpSrc: u16,
  tpDst: u16,
});
