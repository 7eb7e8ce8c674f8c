/**
 * OFPT_ERROR (OpenFlow 1.0). `data` holds (at least the first 64 bytes of) the request that
 * failed. OVS reports errors 1.0 has no code for as Nicira vendor errors: type NXET_VENDOR
 * (0xb0c2), code NXVC_VENDOR_ERROR (0), then nx_vendor_error (vendor id, type, code).
 */
import { constant, restBytes, struct, u16, u32, union } from '../codec';
import { header } from '../header';
import { ErrorType, MessageType, NxVendorErrorCode, OFP10_VERSION } from './constants';

export const errorStandard = struct(
  'ofp_error_msg',
  { ...header(OFP10_VERSION, MessageType.ERROR), errType: u16, code: u16, data: restBytes },
  { tag: 'error' },
);

export const errorNxVendor = struct(
  'nx_vendor_error',
  {
    ...header(OFP10_VERSION, MessageType.ERROR),
    errType: constant(u16, ErrorType.NX_VENDOR),
    code: constant(u16, NxVendorErrorCode.VENDOR_ERROR),
    vendor: u32,
    vendorType: u16,
    vendorCode: u16,
    data: restBytes,
  },
  { tag: 'error_vendor' },
);

/** Dispatches on the error type: the Nicira vendor type has its own layout. */
export const errorMsg = union('ofp_error', [errorNxVendor], { at: 8, width: 2, fallback: errorStandard });
