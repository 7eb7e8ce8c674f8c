/**
 * The 10 bytes every Nicira action starts with: type 0xffff (OFPAT_VENDOR in 1.0,
 * OFPAT_EXPERIMENTER in 1.3), a length padded to 8, vendor 0x00002320, the subtype.
 */
import { constant, length, u16, u32 } from '../codec';

export const NX_VENDOR_ID = 0x00002320;
export const NX_ACTION_TYPE = 0xffff;
export const NX_HEADER_SIZE = 10;

/** Fields to spread at the head of an nx_action_* declaration. */
export function nxHeader<const S extends number>(subtype: S) {
  return {
    actionType: constant(u16, NX_ACTION_TYPE),
    len: length(u16, { align: 8 }),
    vendor: constant(u32, NX_VENDOR_ID),
    subtype: constant(u16, subtype),
  } as const;
}

/** Nicira action subtypes (NXAST_*). */
export const NXAST = {
  RESUBMIT: 1,
  SET_TUNNEL: 2,
  SET_QUEUE: 4,
  POP_QUEUE: 5,
  REG_MOVE: 6,
  REG_LOAD: 7,
  NOTE: 8,
  SET_TUNNEL64: 9,
  MULTIPATH: 10,
  BUNDLE: 12,
  BUNDLE_LOAD: 13,
  RESUBMIT_TABLE: 14,
  OUTPUT_REG: 15,
  LEARN: 16,
  EXIT: 17,
  DEC_TTL: 18,
  FIN_TIMEOUT: 19,
  CONTROLLER: 20,
  DEC_TTL_CNT_IDS: 21,
  WRITE_METADATA: 22,
  OUTPUT_REG2: 32,
  REG_LOAD2: 33,
  CONJUNCTION: 34,
  CT: 35,
  NAT: 36,
  CONTROLLER2: 37,
  CT_CLEAR: 43,
  RESUBMIT_TABLE_CT: 44,
} as const;
