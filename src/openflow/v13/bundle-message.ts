/**
 * Wrapping a message into a bundle add and back. OVS requires the bundle add's xid to be
 * the inner message's xid, so the wrapper takes it from the message.
 */
import { decodeAll, encodeToBuffer } from '../codec';
import type { BundleAdd } from './bundle';
import { type Ofp13Message, ofp13Message } from './message';

export function wrapInBundle(bundleId: number, flags: number, message: Ofp13Message): BundleAdd {
  return {
    type: 'bundle_add',
    xid: message.xid,
    bundleId,
    flags,
    message: encodeToBuffer(ofp13Message, message),
    properties: Buffer.alloc(0),
  };
}

/** The message a bundle add carries, decoded (a DecodeError if it is not a valid 1.3 message). */
export function unwrapBundle(add: BundleAdd): Ofp13Message {
  return decodeAll(ofp13Message, add.message);
}
