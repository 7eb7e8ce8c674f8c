/**
 * An OpenFlow message built by hand (header + body), not with our codecs: fake switches speak
 * versions and types we may have no codec for, and must not check the codecs against themselves.
 */
export function rawMessage(
  version: number,
  type: number,
  xid: number,
  body: Buffer = Buffer.alloc(0),
): Buffer {
  const h = Buffer.alloc(8);
  h[0] = version;
  h[1] = type;
  h.writeUInt16BE(8 + body.length, 2);
  h.writeUInt32BE(xid, 4);
  return Buffer.concat([h, body]);
}
