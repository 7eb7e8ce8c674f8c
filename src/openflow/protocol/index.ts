/** The OpenFlow connection: accept switches, negotiate, keepalive, requests, events. */
export type { DatapathId } from './datapath-id';
export { DatapathIdError, formatDatapathId, toDatapathId } from './datapath-id';
export {
  OpenflowConfigError,
  OpenflowHandshakeError,
  OpenflowReplyError,
  OpenflowRequestError,
  OpenflowUsageError,
} from './errors';
export type { SwitchDownFields, SwitchMessageFields, SwitchMessageOf, SwitchUpFields } from './events';
export { SwitchDownEvent, SwitchMessageEvent, SwitchUpEvent, switchMessage } from './events';
export type { FeaturesReply, SwitchFeatures } from './features';
export { OFP_MAX_MESSAGE_BYTES, OpenflowFrameParser } from './frame-parser';
export type { OpenflowListenerOptions } from './listener';
export { OPENFLOW_PORT, OpenflowListener } from './listener';
export { negotiateVersion } from './negotiate';
export type { OpenflowConnectionOptions, OpenflowSettings } from './options';
export { resolveOpenflowSettings } from './options';
export { packetOutToPort } from './packet-out-to-port';
export type { RoleName, RoleState } from './role';
export type { OutgoingMessage, RequestOptions } from './switch';
export { OpenflowSwitch } from './switch';
export type { ControlMessage, OpenflowMessageBase, VersionCodec } from './version-codec';
export { versionCodec } from './version-codec';
export type { OpenflowMessage, OpenflowMessageType, OpenflowVersion } from './versions';
export { codecFor, isSupportedVersion, openflowCodecs, supportedVersions, versionLabel } from './versions';
