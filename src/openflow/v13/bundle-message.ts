/**
 * Wrapping a message into a bundle add and back. OVS requires the bundle add's xid to be
 * the inner message's xid, so the wrappers take it from the message.
 */
import { decodeAll, encodeToBuffer, type ValueOf } from '../codec';
import { type BundleAdd, bundleAddOf } from './bundle';
import { type Ofp13Message, ofp13Message } from './message';

/**
 * The bundle add with its message as a value: encoding it writes the header and the inner
 * message in one pass into the same output (no separate buffer for the inner message). Same
 * bytes as `bundleAdd` with the message encoded first (`wrapInBundle`).
 */
export const bundleAddMessage = bundleAddOf(ofp13Message);
export type BundledMessage = ValueOf<typeof bundleAddMessage>;

const NO_PROPERTIES = Buffer.alloc(0);

/** `message` as the value `bundleAddMessage` encodes (nothing is encoded yet). */
export function bundled(bundleId: number, flags: number, message: Ofp13Message): BundledMessage {
  return { type: 'bundle_add', xid: message.xid, bundleId, flags, message, properties: NO_PROPERTIES };
}

/** `message` encoded, in a bundle add of the 1.3 union (the form a decoder gives back). */
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
