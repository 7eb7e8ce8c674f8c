/** Settings of OpenFlow connections, with defaults and range checks naming the bad key. */
import { OFP_HEADER_SIZE } from '../header';
import { OpenflowConfigError } from './errors';
import { OFP_MAX_MESSAGE_BYTES } from './frame-parser';
import { supportedVersions } from './versions';

export interface OpenflowConnectionOptions {
  /** Wire versions to offer in our hello (0x01, 0x04). Default: every registered version. */
  readonly versions?: readonly number[];
  /** Send an echo request after this long without hearing from the switch. Default 5000 ms; 0 disables. */
  readonly echoIntervalMs?: number;
  /** Close the connection when nothing arrives this long after an echo request. Default 5000 ms. */
  readonly deadPeerTimeoutMs?: number;
  /** Default timeout of `request`, `requestMultipart`, `barrier`, `role`. Default 30000 ms. */
  readonly requestTimeoutMs?: number;
  /** Longest message accepted (the header's length field); longer is malformed. Default 65535. */
  readonly maxMessageBytes?: number;
  /** Largest multipart reply reassembled for one request. Default 64 MiB. */
  readonly maxMultipartBytes?: number;
}

export type OpenflowSettings = Required<OpenflowConnectionOptions>;

function checkInt(key: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new OpenflowConfigError(key, value, `expected an integer ${min}..${max}`);
  }
  return value;
}

export function resolveOpenflowSettings(o: OpenflowConnectionOptions = {}): OpenflowSettings {
  const versions = o.versions ?? supportedVersions;
  if (versions.length === 0)
    throw new OpenflowConfigError('versions', versions, 'offer at least one version');
  for (const v of versions) {
    if (!(supportedVersions as readonly number[]).includes(v)) {
      throw new OpenflowConfigError(
        'versions',
        versions,
        `wire version ${v} has no codec (supported: ${supportedVersions.join(', ')})`,
      );
    }
  }
  const day = 86_400_000;
  return {
    versions: [...new Set(versions)].sort((a, b) => a - b),
    echoIntervalMs: checkInt('echoIntervalMs', o.echoIntervalMs ?? 5000, 0, day),
    deadPeerTimeoutMs: checkInt('deadPeerTimeoutMs', o.deadPeerTimeoutMs ?? 5000, 1, day),
    requestTimeoutMs: checkInt('requestTimeoutMs', o.requestTimeoutMs ?? 30_000, 1, day),
    maxMessageBytes: checkInt(
      'maxMessageBytes',
      o.maxMessageBytes ?? OFP_MAX_MESSAGE_BYTES,
      OFP_HEADER_SIZE,
      OFP_MAX_MESSAGE_BYTES,
    ),
    maxMultipartBytes: checkInt('maxMultipartBytes', o.maxMultipartBytes ?? 64 << 20, 1, 2 ** 32),
  };
}
