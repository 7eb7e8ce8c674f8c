/**
 * The ONF bundle extension as OVS accepts it on OpenFlow 1.3 (ONF experimenter messages
 * 2300 bundle control, 2301 bundle add): the OpenFlow 1.4 bundle bodies after a 16-byte
 * experimenter header. Control messages are tagged by their ctrl type
 * (`bundle_open_request` ... `bundle_discard_reply`).
 */
import {
  type Codec,
  type Cursor,
  constant,
  DecodeError,
  EncodeError,
  length,
  list,
  pad,
  restBytes,
  struct,
  u16,
  u32,
  union,
  type ValueOf,
  type Writer,
} from '../codec';
import { header } from '../header';
import { BundleCtrlType, ONF_EXPERIMENTER_ID, OnfExpType } from './constants';

/** ofp_bundle_prop_header with its body as bytes (the only kind defined is experimenter). */
export const bundleProperty = struct('ofp_bundle_prop', {
  propType: u16,
  length: length(u16, { align: 8, includePadding: false }),
  data: restBytes,
});
export type BundleProperty = ValueOf<typeof bundleProperty>;

const onfHeader = <const T extends number>(expType: T) =>
  ({
    ...header(4, 4),
    experimenter: constant(u32, ONF_EXPERIMENTER_ID),
    expType: constant(u32, expType),
  }) as const;

function control<const Tag extends string>(ctrlType: number, tag: Tag) {
  return struct(
    'onf_bundle_ctrl_msg',
    {
      ...onfHeader(OnfExpType.BUNDLE_CONTROL),
      bundleId: u32,
      ctrlType: constant(u16, ctrlType),
      flags: u16,
      properties: list(bundleProperty),
    },
    { tag },
  );
}

export const bundleOpenRequest = control(BundleCtrlType.OPEN_REQUEST, 'bundle_open_request');
export const bundleOpenReply = control(BundleCtrlType.OPEN_REPLY, 'bundle_open_reply');
export const bundleCloseRequest = control(BundleCtrlType.CLOSE_REQUEST, 'bundle_close_request');
export const bundleCloseReply = control(BundleCtrlType.CLOSE_REPLY, 'bundle_close_reply');
export const bundleCommitRequest = control(BundleCtrlType.COMMIT_REQUEST, 'bundle_commit_request');
export const bundleCommitReply = control(BundleCtrlType.COMMIT_REPLY, 'bundle_commit_reply');
export const bundleDiscardRequest = control(BundleCtrlType.DISCARD_REQUEST, 'bundle_discard_request');
export const bundleDiscardReply = control(BundleCtrlType.DISCARD_REPLY, 'bundle_discard_reply');

export const bundleControl = union(
  'onf_bundle_ctrl_msg',
  [
    bundleOpenRequest,
    bundleOpenReply,
    bundleCloseRequest,
    bundleCloseReply,
    bundleCommitRequest,
    bundleCommitReply,
    bundleDiscardRequest,
    bundleDiscardReply,
  ],
  { at: 20, width: 2 },
);
export type BundleControl = ValueOf<typeof bundleControl>;

const INNER = 'onf_bundle_add_msg.message';

/**
 * A whole encoded OpenFlow message as bytes: its length comes from its own ofp_header. Kept
 * raw so that the bundle codec does not depend on the message union that contains it.
 */
export const embeddedMessage: Codec<Buffer> = {
  name: INNER,
  fixedSize: undefined,
  tags: [],
  constantAt: () => undefined,
  decode(cur: Cursor, end: number): Buffer {
    const p = cur.pos;
    if (p + 8 > end) throw new DecodeError(INNER, `truncated: need 8 bytes, have ${Math.max(0, end - p)}`, p);
    const len = cur.buf.readUInt16BE(p + 2);
    if (len < 8) throw new DecodeError(INNER, `length ${len} is less than the minimum 8`, p);
    if (p + len > end)
      throw new DecodeError(INNER, `length ${len} runs past the end (${end - p} bytes left)`, p);
    cur.pos = p + len;
    return cur.buf.subarray(p, p + len);
  },
  encode(w: Writer, value: Buffer): void {
    // The JSON form carries bytes as hex.
    const data: Uint8Array =
      value instanceof Uint8Array
        ? value
        : typeof value === 'string' && /^([0-9a-fA-F]{2})*$/.test(value)
          ? Buffer.from(value, 'hex')
          : new Uint8Array(0);
    const declared = data.length >= 8 ? (data[2]! << 8) | data[3]! : -1;
    if (declared !== data.length) {
      throw new EncodeError(
        'onf_bundle_add_msg',
        'message',
        `expected an encoded OpenFlow message (its header length equal to its size), got ${data.length} bytes`,
      );
    }
    w.bytes(data);
  },
};

/**
 * onf_bundle_add_msg around `inner`, the codec of the message it carries. Declared once for
 * both forms: the 1.3 union's `bundleAdd` keeps the message as raw bytes (so this file does not
 * depend on the union that contains it); `bundleAddMessage` (bundle-message.ts) takes the
 * message as a value and encodes it in the same pass as the header around it.
 */
export function bundleAddOf<T>(inner: Codec<T>) {
  return struct(
    'onf_bundle_add_msg',
    {
      ...onfHeader(OnfExpType.BUNDLE_ADD_MESSAGE),
      bundleId: u32,
      pad: pad(2),
      flags: u16,
      message: inner,
      /** Padding and property TLVs after the message, as bytes (OVS sends none). */
      properties: restBytes,
    },
    { tag: 'bundle_add' },
  );
}

export const bundleAdd = bundleAddOf(embeddedMessage);
export type BundleAdd = ValueOf<typeof bundleAdd>;
