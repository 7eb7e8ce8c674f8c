/**
 * The head of OFPT_MULTIPART_REQUEST / OFPT_MULTIPART_REPLY (OpenFlow 1.3), to spread at the
 * start of each multipart message declaration: the multipart type is a constant of the
 * declaration, `flags` (OFPMPF_REQ_MORE / OFPMPF_REPLY_MORE) is part of the value.
 */
import { constant, pad, u16 } from '../../codec';
import { header } from '../../header';

export const MULTIPART_REQUEST = 18;
export const MULTIPART_REPLY = 19;

/** OFPMPF_REQ_MORE and OFPMPF_REPLY_MORE share the value 1. */
export const MULTIPART_MORE = 1;

export function multipartRequest<const T extends number>(mpType: T) {
  return { ...header(4, MULTIPART_REQUEST), mpType: constant(u16, mpType), flags: u16, pad: pad(4) } as const;
}

export function multipartReply<const T extends number>(mpType: T) {
  return { ...header(4, MULTIPART_REPLY), mpType: constant(u16, mpType), flags: u16, pad: pad(4) } as const;
}
