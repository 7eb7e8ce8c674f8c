/**
 * The head of OFPT_STATS_REQUEST / OFPT_STATS_REPLY (OpenFlow 1.0), to spread at the start of
 * each stats message declaration: the stats type is a constant of the declaration, `flags`
 * (OFPSF_REPLY_MORE in replies) is part of the value.
 */
import { constant, u16 } from '../../codec';
import { header } from '../../header';
import { MessageType, OFP10_VERSION } from '../constants';

export function statsRequest<const T extends number>(statsType: T) {
  return {
    ...header(OFP10_VERSION, MessageType.STATS_REQUEST),
    statsType: constant(u16, statsType),
    flags: u16,
  } as const;
}

export function statsReply<const T extends number>(statsType: T) {
  return {
    ...header(OFP10_VERSION, MessageType.STATS_REPLY),
    statsType: constant(u16, statsType),
    flags: u16,
  } as const;
}
