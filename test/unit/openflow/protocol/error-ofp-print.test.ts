/** The errors the connection sends, checked by an independent decoder: `ovs-ofctl ofp-print`. */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { encodeToBuffer } from '../../../../src/openflow/codec';
import { anyVersionError } from '../../../../src/openflow/protocol/any-version-error';
import {
  OFPBRC_BAD_LEN,
  OFPBRC_BAD_MULTIPART,
  OFPBRC_BAD_TYPE,
  OFPBRC_BAD_VERSION,
  OFPET_BAD_REQUEST,
  OFPET_HELLO_FAILED,
  OFPHFC_INCOMPATIBLE,
} from '../../../../src/openflow/protocol/message-codes';

function ofpPrint(bytes: Buffer): string {
  return execFileSync('ovs-ofctl', ['ofp-print', bytes.toString('hex')], { encoding: 'utf8' });
}

describe('errors the connection sends, as ovs-ofctl reads them', () => {
  it.each([
    [OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE, 'OFPHFC_INCOMPATIBLE'],
    [OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION, 'OFPBRC_BAD_VERSION'],
    [OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE, 'OFPBRC_BAD_TYPE'],
    // OVS names 1.3's BAD_MULTIPART by its 1.0 name.
    [OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART, 'OFPBRC_BAD_STAT'],
    [OFPET_BAD_REQUEST, OFPBRC_BAD_LEN, 'OFPBRC_BAD_LEN'],
  ])('type %i code %i is %s in 1.0 and 1.3', (errType, code, name) => {
    for (const [version, tag] of [
      [1, ''],
      [4, ' (OF1.3)'],
    ] as const) {
      const bytes = encodeToBuffer(anyVersionError, {
        type: 'error',
        version,
        xid: 7,
        errType,
        code,
        data: Buffer.from('0400000800000001', 'hex'),
      });
      expect(ofpPrint(bytes).split('\n')[0]).toBe(`OFPT_ERROR${tag} (xid=0x7): ${name}`);
    }
  });

  it('HELLO_FAILED carries its explanation as text', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9 ,.:]{0,58}[a-zA-Z0-9.])?$/),
        fc.integer({ min: 1, max: 0xffffffff }),
        (text, xid) => {
          const bytes = encodeToBuffer(anyVersionError, {
            type: 'error',
            version: 4,
            xid,
            errType: OFPET_HELLO_FAILED,
            code: OFPHFC_INCOMPATIBLE,
            data: Buffer.from(text, 'ascii'),
          });
          expect(ofpPrint(bytes)).toBe(
            `OFPT_ERROR (OF1.3) (xid=0x${xid.toString(16)}): OFPHFC_INCOMPATIBLE\n${text}\n`,
          );
        },
      ),
      { numRuns: 20 },
    );
  });
});
