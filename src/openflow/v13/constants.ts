/**
 * OpenFlow 1.3 wire constants (spec 1.3.5, openflow.h), named as in the spec without the
 * OFP prefix and its family (OFPT_FLOW_MOD → MessageType.FLOW_MOD).
 */

export const OFP13_VERSION = 0x04;

/** ofp_type */
export const MessageType = {
  HELLO: 0,
  ERROR: 1,
  ECHO_REQUEST: 2,
  ECHO_REPLY: 3,
  EXPERIMENTER: 4,
  FEATURES_REQUEST: 5,
  FEATURES_REPLY: 6,
  GET_CONFIG_REQUEST: 7,
  GET_CONFIG_REPLY: 8,
  SET_CONFIG: 9,
  PACKET_IN: 10,
  FLOW_REMOVED: 11,
  PORT_STATUS: 12,
  PACKET_OUT: 13,
  FLOW_MOD: 14,
  GROUP_MOD: 15,
  PORT_MOD: 16,
  TABLE_MOD: 17,
  MULTIPART_REQUEST: 18,
  MULTIPART_REPLY: 19,
  BARRIER_REQUEST: 20,
  BARRIER_REPLY: 21,
  QUEUE_GET_CONFIG_REQUEST: 22,
  QUEUE_GET_CONFIG_REPLY: 23,
  ROLE_REQUEST: 24,
  ROLE_REPLY: 25,
  GET_ASYNC_REQUEST: 26,
  GET_ASYNC_REPLY: 27,
  SET_ASYNC: 28,
  METER_MOD: 29,
} as const;

/** ofp_port_no: reserved ports (32-bit in 1.3). */
export const Port = {
  MAX: 0xffffff00,
  IN_PORT: 0xfffffff8,
  TABLE: 0xfffffff9,
  NORMAL: 0xfffffffa,
  FLOOD: 0xfffffffb,
  ALL: 0xfffffffc,
  CONTROLLER: 0xfffffffd,
  LOCAL: 0xfffffffe,
  ANY: 0xffffffff,
} as const;

/** ofp_table: table numbering. */
export const Table = { MAX: 0xfe, ALL: 0xff } as const;

/** ofp_group: group numbering. */
export const Group = { MAX: 0xffffff00, ALL: 0xfffffffc, ANY: 0xffffffff } as const;

/** ofp_meter: meter numbering. */
export const Meter = {
  MAX: 0xffff0000,
  SLOWPATH: 0xfffffffd,
  CONTROLLER: 0xfffffffe,
  ALL: 0xffffffff,
} as const;

/** ofp_controller_max_len */
export const ControllerMaxLen = { MAX: 0xffe5, NO_BUFFER: 0xffff } as const;

/** Buffer id meaning "the packet is in the message, not buffered". */
export const NO_BUFFER = 0xffffffff;

/** ofp_queue: queue id meaning every queue. */
export const QUEUE_ALL = 0xffffffff;

/** Default miss_send_len (OFP_DEFAULT_MISS_SEND_LEN). */
export const DEFAULT_MISS_SEND_LEN = 128;

export const FLOW_PERMANENT = 0;
export const DEFAULT_PRIORITY = 0x8000;

/** ofp_action_type */
export const ActionType = {
  OUTPUT: 0,
  COPY_TTL_OUT: 11,
  COPY_TTL_IN: 12,
  SET_MPLS_TTL: 15,
  DEC_MPLS_TTL: 16,
  PUSH_VLAN: 17,
  POP_VLAN: 18,
  PUSH_MPLS: 19,
  POP_MPLS: 20,
  SET_QUEUE: 21,
  GROUP: 22,
  SET_NW_TTL: 23,
  DEC_NW_TTL: 24,
  SET_FIELD: 25,
  PUSH_PBB: 26,
  POP_PBB: 27,
  EXPERIMENTER: 0xffff,
} as const;

/** ofp_instruction_type */
export const InstructionType = {
  GOTO_TABLE: 1,
  WRITE_METADATA: 2,
  WRITE_ACTIONS: 3,
  APPLY_ACTIONS: 4,
  CLEAR_ACTIONS: 5,
  METER: 6,
  EXPERIMENTER: 0xffff,
} as const;

/** ofp_multipart_type */
export const MultipartType = {
  DESC: 0,
  FLOW: 1,
  AGGREGATE: 2,
  TABLE: 3,
  PORT_STATS: 4,
  QUEUE: 5,
  GROUP: 6,
  GROUP_DESC: 7,
  GROUP_FEATURES: 8,
  METER: 9,
  METER_CONFIG: 10,
  METER_FEATURES: 11,
  TABLE_FEATURES: 12,
  PORT_DESC: 13,
  EXPERIMENTER: 0xffff,
} as const;

/** ofp_multipart_request_flags / ofp_multipart_reply_flags */
export const MultipartFlags = { REQ_MORE: 1, REPLY_MORE: 1 } as const;

/** ofp_error_type */
export const ErrorType = {
  HELLO_FAILED: 0,
  BAD_REQUEST: 1,
  BAD_ACTION: 2,
  BAD_INSTRUCTION: 3,
  BAD_MATCH: 4,
  FLOW_MOD_FAILED: 5,
  GROUP_MOD_FAILED: 6,
  PORT_MOD_FAILED: 7,
  TABLE_MOD_FAILED: 8,
  QUEUE_OP_FAILED: 9,
  SWITCH_CONFIG_FAILED: 10,
  ROLE_REQUEST_FAILED: 11,
  METER_MOD_FAILED: 12,
  TABLE_FEATURES_FAILED: 13,
  EXPERIMENTER: 0xffff,
} as const;

/** Codes per error type, index = code (names from the spec without the prefix, lowercased). */
export const ErrorCodes: Readonly<Record<number, readonly string[]>> = {
  0: ['incompatible', 'eperm'],
  1: [
    'bad_version',
    'bad_type',
    'bad_multipart',
    'bad_experimenter',
    'bad_exp_type',
    'eperm',
    'bad_len',
    'buffer_empty',
    'buffer_unknown',
    'bad_table_id',
    'is_slave',
    'bad_port',
    'bad_packet',
    'multipart_buffer_overflow',
  ],
  2: [
    'bad_type',
    'bad_len',
    'bad_experimenter',
    'bad_exp_type',
    'bad_out_port',
    'bad_argument',
    'eperm',
    'too_many',
    'bad_queue',
    'bad_out_group',
    'match_inconsistent',
    'unsupported_order',
    'bad_tag',
    'bad_set_type',
    'bad_set_len',
    'bad_set_argument',
  ],
  3: [
    'unknown_inst',
    'unsup_inst',
    'bad_table_id',
    'unsup_metadata',
    'unsup_metadata_mask',
    'bad_experimenter',
    'bad_exp_type',
    'bad_len',
    'eperm',
  ],
  4: [
    'bad_type',
    'bad_len',
    'bad_tag',
    'bad_dl_addr_mask',
    'bad_nw_addr_mask',
    'bad_wildcards',
    'bad_field',
    'bad_value',
    'bad_mask',
    'bad_prereq',
    'dup_field',
    'eperm',
  ],
  5: ['unknown', 'table_full', 'bad_table_id', 'overlap', 'eperm', 'bad_timeout', 'bad_command', 'bad_flags'],
  6: [
    'group_exists',
    'invalid_group',
    'weight_unsupported',
    'out_of_groups',
    'out_of_buckets',
    'chaining_unsupported',
    'watch_unsupported',
    'loop',
    'unknown_group',
    'chained_group',
    'bad_type',
    'bad_command',
    'bad_bucket',
    'bad_watch',
    'eperm',
  ],
  7: ['bad_port', 'bad_hw_addr', 'bad_config', 'bad_advertise', 'eperm'],
  8: ['bad_table', 'bad_config', 'eperm'],
  9: ['bad_port', 'bad_queue', 'eperm'],
  10: ['bad_flags', 'bad_len', 'eperm'],
  11: ['stale', 'unsup', 'bad_role'],
  12: [
    'unknown',
    'meter_exists',
    'invalid_meter',
    'unknown_meter',
    'bad_command',
    'bad_flags',
    'bad_rate',
    'bad_burst',
    'bad_band',
    'bad_band_value',
    'out_of_meters',
    'out_of_bands',
  ],
  13: ['bad_table', 'bad_metadata', 'bad_type', 'bad_len', 'bad_argument', 'eperm'],
};

/** ofp_hello_failed_code etc. as named numbers, for the codes most often matched on. */
export const FlowModFailedCode = {
  UNKNOWN: 0,
  TABLE_FULL: 1,
  BAD_TABLE_ID: 2,
  OVERLAP: 3,
  EPERM: 4,
  BAD_TIMEOUT: 5,
  BAD_COMMAND: 6,
  BAD_FLAGS: 7,
} as const;

/** The spec's name of an error (e.g. "OFPET_FLOW_MOD_FAILED/OFPFMFC_OVERLAP" → "flow_mod_failed/overlap"). */
export function errorName(errType: number, code: number): string {
  const typeName = Object.entries(ErrorType)
    .find(([, v]) => v === errType)?.[0]
    ?.toLowerCase();
  const codeName = ErrorCodes[errType]?.[code];
  return `${typeName ?? `type_${errType}`}/${codeName ?? `code_${code}`}`;
}

/** ofp_flow_mod_command */
export const FlowModCommand = { ADD: 0, MODIFY: 1, MODIFY_STRICT: 2, DELETE: 3, DELETE_STRICT: 4 } as const;

/** ofp_flow_mod_flags */
export const FlowModFlags = {
  SEND_FLOW_REM: 1 << 0,
  CHECK_OVERLAP: 1 << 1,
  RESET_COUNTS: 1 << 2,
  NO_PKT_COUNTS: 1 << 3,
  NO_BYT_COUNTS: 1 << 4,
} as const;

/** ofp_group_mod_command */
export const GroupModCommand = { ADD: 0, MODIFY: 1, DELETE: 2 } as const;

/** ofp_group_type */
export const GroupType = { ALL: 0, SELECT: 1, INDIRECT: 2, FF: 3 } as const;

/** ofp_group_capabilities */
export const GroupCapabilities = {
  SELECT_WEIGHT: 1 << 0,
  SELECT_LIVENESS: 1 << 1,
  CHAINING: 1 << 2,
  CHAINING_CHECKS: 1 << 3,
} as const;

/** ofp_meter_mod_command */
export const MeterModCommand = { ADD: 0, MODIFY: 1, DELETE: 2 } as const;

/** ofp_meter_flags */
export const MeterFlags = { KBPS: 1 << 0, PKTPS: 1 << 1, BURST: 1 << 2, STATS: 1 << 3 } as const;

/** ofp_meter_band_type */
export const MeterBandType = { DROP: 1, DSCP_REMARK: 2, EXPERIMENTER: 0xffff } as const;

/** ofp_port_config */
export const PortConfig = {
  PORT_DOWN: 1 << 0,
  NO_RECV: 1 << 2,
  NO_FWD: 1 << 5,
  NO_PACKET_IN: 1 << 6,
} as const;

/** ofp_port_state */
export const PortState = { LINK_DOWN: 1 << 0, BLOCKED: 1 << 1, LIVE: 1 << 2 } as const;

/** ofp_port_features */
export const PortFeatures = {
  '10MB_HD': 1 << 0,
  '10MB_FD': 1 << 1,
  '100MB_HD': 1 << 2,
  '100MB_FD': 1 << 3,
  '1GB_HD': 1 << 4,
  '1GB_FD': 1 << 5,
  '10GB_FD': 1 << 6,
  '40GB_FD': 1 << 7,
  '100GB_FD': 1 << 8,
  '1TB_FD': 1 << 9,
  OTHER: 1 << 10,
  COPPER: 1 << 11,
  FIBER: 1 << 12,
  AUTONEG: 1 << 13,
  PAUSE: 1 << 14,
  PAUSE_ASYM: 1 << 15,
} as const;

/** ofp_port_reason (port_status) */
export const PortReason = { ADD: 0, DELETE: 1, MODIFY: 2 } as const;

/** ofp_packet_in_reason */
export const PacketInReason = { NO_MATCH: 0, ACTION: 1, INVALID_TTL: 2 } as const;

/** ofp_flow_removed_reason */
export const FlowRemovedReason = { IDLE_TIMEOUT: 0, HARD_TIMEOUT: 1, DELETE: 2, GROUP_DELETE: 3 } as const;

/** ofp_config_flags (switch_config) */
export const ConfigFlags = { FRAG_NORMAL: 0, FRAG_DROP: 1, FRAG_REASM: 2, FRAG_MASK: 3 } as const;

/** ofp_table_config: deprecated in 1.3, only the mask remains. */
export const TableConfig = { DEPRECATED_MASK: 3 } as const;

/** ofp_capabilities (features_reply) */
export const Capabilities = {
  FLOW_STATS: 1 << 0,
  TABLE_STATS: 1 << 1,
  PORT_STATS: 1 << 2,
  GROUP_STATS: 1 << 3,
  IP_REASM: 1 << 5,
  QUEUE_STATS: 1 << 6,
  PORT_BLOCKED: 1 << 8,
} as const;

/** ofp_table_feature_prop_type */
export const TableFeaturePropType = {
  INSTRUCTIONS: 0,
  INSTRUCTIONS_MISS: 1,
  NEXT_TABLES: 2,
  NEXT_TABLES_MISS: 3,
  WRITE_ACTIONS: 4,
  WRITE_ACTIONS_MISS: 5,
  APPLY_ACTIONS: 6,
  APPLY_ACTIONS_MISS: 7,
  MATCH: 8,
  WILDCARDS: 10,
  WRITE_SETFIELD: 12,
  WRITE_SETFIELD_MISS: 13,
  APPLY_SETFIELD: 14,
  APPLY_SETFIELD_MISS: 15,
  EXPERIMENTER: 0xfffe,
  EXPERIMENTER_MISS: 0xffff,
} as const;

/** ofp_queue_properties */
export const QueueProperty = { MIN_RATE: 1, MAX_RATE: 2, EXPERIMENTER: 0xffff } as const;

/** Rates above this (in 1/10 of a percent) mean "disabled". */
export const QUEUE_RATE_DISABLED = 1000;

/** ofp_controller_role */
export const ControllerRole = { NOCHANGE: 0, EQUAL: 1, MASTER: 2, SLAVE: 3 } as const;

/** ONF experimenter id (ONF_VENDOR_ID), used by the bundle extension OVS accepts on 1.3. */
export const ONF_EXPERIMENTER_ID = 0x4f4e4600;

/** ONF experimenter message types of the 1.3 bundle extension. */
export const OnfExpType = { BUNDLE_CONTROL: 2300, BUNDLE_ADD_MESSAGE: 2301 } as const;

/** ofp_bundle_ctrl_type */
export const BundleCtrlType = {
  OPEN_REQUEST: 0,
  OPEN_REPLY: 1,
  CLOSE_REQUEST: 2,
  CLOSE_REPLY: 3,
  COMMIT_REQUEST: 4,
  COMMIT_REPLY: 5,
  DISCARD_REQUEST: 6,
  DISCARD_REPLY: 7,
} as const;

/** ofp_bundle_flags */
export const BundleFlags = { ATOMIC: 1 << 0, ORDERED: 1 << 1 } as const;
