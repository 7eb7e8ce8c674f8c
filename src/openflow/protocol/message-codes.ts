/**
 * The few numbers the connection reads on raw bytes, per wire version: message type codes
 * of barrier and multipart (stats in 1.0) messages, and the error types/codes it sends
 * itself. Everything else is left to the version's message union.
 */
import { OFP10_VERSION, OFP13_VERSION } from '../header';

export interface MessageCodes {
  readonly barrierRequest: number;
  readonly barrierReply: number;
  /** OFPT_MULTIPART_REQUEST (1.3) / OFPT_STATS_REQUEST (1.0). */
  readonly multipartRequest: number;
  /** OFPT_MULTIPART_REPLY (1.3) / OFPT_STATS_REPLY (1.0); flags at byte 10, MORE = 1. */
  readonly multipartReply: number;
}

export const messageCodesByVersion: Readonly<Record<number, MessageCodes>> = {
  [OFP10_VERSION]: { barrierRequest: 18, barrierReply: 19, multipartRequest: 16, multipartReply: 17 },
  [OFP13_VERSION]: { barrierRequest: 20, barrierReply: 21, multipartRequest: 18, multipartReply: 19 },
};

/** Message types every version numbers alike. */
export const OFPT_HELLO = 0;
export const OFPT_ERROR = 1;
export const OFPT_ECHO_REQUEST = 2;
export const OFPT_ECHO_REPLY = 3;
export const OFPT_FEATURES_REPLY = 6;

/** OFPMPF_REPLY_MORE (1.3) / OFPSF_REPLY_MORE (1.0), in the flags at byte 10. */
export const MULTIPART_REPLY_MORE = 1;
export const MULTIPART_FLAGS_OFFSET = 10;

/** Error types and codes the connection itself sends; 1.0 and 1.3 number these alike. */
export const OFPET_HELLO_FAILED = 0;
export const OFPHFC_INCOMPATIBLE = 0;
export const OFPET_BAD_REQUEST = 1;
export const OFPBRC_BAD_VERSION = 0;
export const OFPBRC_BAD_TYPE = 1;
/** OFPBRC_BAD_MULTIPART (1.3) / OFPBRC_BAD_STAT (1.0). */
export const OFPBRC_BAD_MULTIPART = 2;
export const OFPBRC_BAD_LEN = 6;

/** The spec's minimum of the failing request an error carries back. */
export const ERROR_DATA_BYTES = 64;
