/** OpenFlow 1.0 wire constants (spec 1.0.0, openflow.h), named as in the spec without the OFP prefix. */

export const OFP10_VERSION = 0x01;

export const MessageType = {
  HELLO: 0,
  ERROR: 1,
  ECHO_REQUEST: 2,
  ECHO_REPLY: 3,
  VENDOR: 4,
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
  PORT_MOD: 15,
  STATS_REQUEST: 16,
  STATS_REPLY: 17,
  BARRIER_REQUEST: 18,
  BARRIER_REPLY: 19,
  QUEUE_GET_CONFIG_REQUEST: 20,
  QUEUE_GET_CONFIG_REPLY: 21,
} as const;

/** Reserved port numbers (16-bit in 1.0). */
export const Port = {
  MAX: 0xff00,
  IN_PORT: 0xfff8,
  TABLE: 0xfff9,
  NORMAL: 0xfffa,
  FLOOD: 0xfffb,
  ALL: 0xfffc,
  CONTROLLER: 0xfffd,
  LOCAL: 0xfffe,
  NONE: 0xffff,
} as const;

export const ErrorType = {
  HELLO_FAILED: 0,
  BAD_REQUEST: 1,
  BAD_ACTION: 2,
  FLOW_MOD_FAILED: 3,
  PORT_MOD_FAILED: 4,
  QUEUE_OP_FAILED: 5,
  /** Nicira extension: ofp_error_msg carrying a vendor-specific error (type 0xb0c2). */
  NX_VENDOR: 0xb0c2,
} as const;

/** Codes per error type (names from the spec, lowercased). */
export const ErrorCodes: Readonly<Record<number, readonly string[]>> = {
  0: ['incompatible', 'eperm'],
  1: [
    'bad_version',
    'bad_type',
    'bad_stat',
    'bad_vendor',
    'bad_subtype',
    'eperm',
    'bad_len',
    'buffer_empty',
    'buffer_unknown',
  ],
  2: [
    'bad_type',
    'bad_len',
    'bad_vendor',
    'bad_vendor_type',
    'bad_out_port',
    'bad_argument',
    'eperm',
    'too_many',
    'bad_queue',
  ],
  3: ['all_tables_full', 'overlap', 'eperm', 'bad_emerg_timeout', 'bad_command', 'unsupported'],
  4: ['bad_port', 'bad_hw_addr'],
  5: ['bad_port', 'bad_queue', 'eperm'],
};

export const ActionType = {
  OUTPUT: 0,
  SET_VLAN_VID: 1,
  SET_VLAN_PCP: 2,
  STRIP_VLAN: 3,
  SET_DL_SRC: 4,
  SET_DL_DST: 5,
  SET_NW_SRC: 6,
  SET_NW_DST: 7,
  SET_NW_TOS: 8,
  SET_TP_SRC: 9,
  SET_TP_DST: 10,
  ENQUEUE: 11,
  VENDOR: 0xffff,
} as const;

/** ofp_flow_wildcards. nw_src/nw_dst use 6-bit counts of wildcarded low bits. */
export const Wildcard = {
  IN_PORT: 1 << 0,
  DL_VLAN: 1 << 1,
  DL_SRC: 1 << 2,
  DL_DST: 1 << 3,
  DL_TYPE: 1 << 4,
  NW_PROTO: 1 << 5,
  TP_SRC: 1 << 6,
  TP_DST: 1 << 7,
  NW_SRC_SHIFT: 8,
  NW_SRC_MASK: 0x3f << 8,
  NW_DST_SHIFT: 14,
  NW_DST_MASK: 0x3f << 14,
  DL_VLAN_PCP: 1 << 20,
  NW_TOS: 1 << 21,
  ALL: (1 << 22) - 1,
} as const;

export const FlowModCommand = { ADD: 0, MODIFY: 1, MODIFY_STRICT: 2, DELETE: 3, DELETE_STRICT: 4 } as const;
export const FlowModFlags = { SEND_FLOW_REM: 1, CHECK_OVERLAP: 2, EMERG: 4 } as const;
export const PacketInReason = { NO_MATCH: 0, ACTION: 1 } as const;
export const FlowRemovedReason = { IDLE_TIMEOUT: 0, HARD_TIMEOUT: 1, DELETE: 2 } as const;
export const PortReason = { ADD: 0, DELETE: 1, MODIFY: 2 } as const;
export const ConfigFlags = { FRAG_NORMAL: 0, FRAG_DROP: 1, FRAG_REASM: 2, FRAG_MASK: 3 } as const;

export const StatsType = {
  DESC: 0,
  FLOW: 1,
  AGGREGATE: 2,
  TABLE: 3,
  PORT: 4,
  QUEUE: 5,
  /** Not in the 1.0 spec: OVS's 1.0 form of the 1.3 port-desc multipart. */
  PORT_DESC: 13,
  VENDOR: 0xffff,
} as const;

export const StatsReplyFlags = { MORE: 1 } as const;

export const Capabilities = {
  FLOW_STATS: 1 << 0,
  TABLE_STATS: 1 << 1,
  PORT_STATS: 1 << 2,
  STP: 1 << 3,
  RESERVED: 1 << 4,
  IP_REASM: 1 << 5,
  QUEUE_STATS: 1 << 6,
  ARP_MATCH_IP: 1 << 7,
} as const;

export const PortConfig = {
  PORT_DOWN: 1 << 0,
  NO_STP: 1 << 1,
  NO_RECV: 1 << 2,
  NO_RECV_STP: 1 << 3,
  NO_FLOOD: 1 << 4,
  NO_FWD: 1 << 5,
  NO_PACKET_IN: 1 << 6,
} as const;

export const PortState = {
  LINK_DOWN: 1 << 0,
  STP_LISTEN: 0 << 8,
  STP_LEARN: 1 << 8,
  STP_FORWARD: 2 << 8,
  STP_BLOCK: 3 << 8,
  STP_MASK: 3 << 8,
} as const;

export const PortFeatures = {
  F_10MB_HD: 1 << 0,
  F_10MB_FD: 1 << 1,
  F_100MB_HD: 1 << 2,
  F_100MB_FD: 1 << 3,
  F_1GB_HD: 1 << 4,
  F_1GB_FD: 1 << 5,
  F_10GB_FD: 1 << 6,
  COPPER: 1 << 7,
  FIBER: 1 << 8,
  AUTONEG: 1 << 9,
  PAUSE: 1 << 10,
  PAUSE_ASYM: 1 << 11,
} as const;

export const QueueProperty = { NONE: 0, MIN_RATE: 1 } as const;

/** Vendor id of Nicira (OVS) extensions. */
export const NX_VENDOR_ID = 0x00002320;

/** Nicira vendor message subtypes OVS uses with OpenFlow 1.0. */
export const NxMessageType = {
  ROLE_REQUEST: 10,
  ROLE_REPLY: 11,
  SET_FLOW_FORMAT: 12,
  FLOW_MOD_TABLE_ID: 15,
  FLOW_MOD: 13,
  FLOW_REMOVED: 14,
  SET_PACKET_IN_FORMAT: 16,
  PACKET_IN: 17,
  SET_CONTROLLER_ID: 20,
} as const;

export const NxFlowFormat = { OPENFLOW10: 0, NXM: 2 } as const;
export const NxPacketInFormat = { OPENFLOW10: 0, NXM: 1, NXT_PACKET_IN2: 2 } as const;

/** Codes of the Nicira vendor error type (ErrorType.NX_VENDOR): one, followed by nx_vendor_error. */
export const NxVendorErrorCode = { VENDOR_ERROR: 0 } as const;

/** Controller roles of NXT_ROLE_REQUEST / NXT_ROLE_REPLY. */
export const NxRole = { OTHER: 0, MASTER: 1, SLAVE: 2 } as const;
