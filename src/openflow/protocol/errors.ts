/** Errors of the OpenFlow connection; each names the switch (datapath id or peer address). */

/** The switch answered a request with OFPT_ERROR. */
export class OpenflowRequestError extends Error {
  override readonly name = 'OpenflowRequestError';
  constructor(
    /** The switch: its datapath id (16 hex digits) or, before the handshake, its address. */
    readonly switchName: string,
    /** OFPET_* (0xffff: experimenter). */
    readonly errType: number,
    /** OFP*C_* code, or the experimenter's own code. */
    readonly code: number,
    /** What the switch sent back of the failing request (at least its first 64 bytes). */
    readonly data: Buffer,
    /** The request that failed, as we sent it (xid included). */
    readonly request: { readonly type: string; readonly xid: number },
    /** The experimenter id, for experimenter errors. */
    readonly experimenter?: number,
  ) {
    const exp = experimenter !== undefined ? ` experimenter 0x${experimenter.toString(16)}` : '';
    super(
      `switch ${switchName} refused ${request.type} (xid ${request.xid}): error type ${errType} code ${code}${exp}`,
    );
  }
}

/** The switch answered with something that is not a reply to what we asked. */
export class OpenflowReplyError extends Error {
  override readonly name = 'OpenflowReplyError';
  constructor(
    readonly switchName: string,
    readonly request: { readonly type: string; readonly xid: number },
    readonly detail: string,
  ) {
    super(`switch ${switchName}: ${request.type} (xid ${request.xid}): ${detail}`);
  }
}

/** Hello/features exchange failed (no common version, not a hello, features refused...). */
export class OpenflowHandshakeError extends Error {
  override readonly name = 'OpenflowHandshakeError';
  constructor(
    readonly remote: string,
    readonly detail: string,
  ) {
    super(`OpenFlow handshake with ${remote}: ${detail}`);
  }
}

/** A call the connection cannot carry out as asked (wrong message kind, unsupported on this version). */
export class OpenflowUsageError extends Error {
  override readonly name = 'OpenflowUsageError';
  constructor(
    readonly switchName: string,
    readonly detail: string,
  ) {
    super(`switch ${switchName}: ${detail}`);
  }
}

/** A configuration value out of range; names the key. */
export class OpenflowConfigError extends Error {
  override readonly name = 'OpenflowConfigError';
  constructor(
    readonly key: string,
    readonly value: unknown,
    detail: string,
  ) {
    super(`openflow option ${key} = ${JSON.stringify(value)}: ${detail}`);
  }
}
