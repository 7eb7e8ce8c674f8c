/**
 * Short ways for flow compilers to write Nicira actions with OVS's vocabulary:
 * `resubmit(3)`, `load('reg0', 5, 0, 16)`, `move(bits('eth_src'), bits('eth_dst'))`,
 * `ct({ commit: true, zone: 1, nat: snat('10.0.0.1') })`. Whole-field defaults come from the
 * registry; values are checked when encoded.
 */
import type { OxmField } from '../oxm/oxm-field';
import type { Ipv4Address } from '../packet/ipv4-address';
import type { CtNestedAction } from './conntrack';
import { NX_CT_F, NX_CT_RECIRC_NONE } from './conntrack';
import type { Controller2Property } from './controller';
import { type FieldRef, type Subfield, widthOf } from './field-ref';
import type { LearnSpec } from './learn';
import { type NatBody, NX_NAT_F } from './nat';
import type { NxAction } from './nx-action';
import { NX_CURRENT_TABLE, NX_IN_PORT } from './resubmit';

type Of<T extends NxAction['type']> = Extract<NxAction, { readonly type: T }>;

/** Bits ofs..ofs+nbits-1 of a field; by default the whole field (at most 64 bits). */
export function bits(field: FieldRef, ofs = 0, nbits?: number): Subfield {
  const width = widthOf(field);
  return { field, ofs, nbits: nbits ?? Math.min(64, (width ?? 64) - ofs) };
}

/** resubmit(,table) — or resubmit(port,table) with a port. */
export function resubmit(
  table: number = NX_CURRENT_TABLE,
  inPort: number = NX_IN_PORT,
): Of<'nx_resubmit_table'> {
  return { type: 'nx_resubmit_table', inPort, table };
}

/** load:value->field[ofs..ofs+nbits-1] (the whole field by default). */
export function load(field: FieldRef, value: bigint | number, ofs = 0, nbits?: number): Of<'nx_reg_load'> {
  return { type: 'nx_reg_load', dst: bits(field, ofs, nbits), value: BigInt(value) };
}

/** move:src->dst; the two must be as wide. */
export function move(src: Subfield, dst: Subfield): Of<'nx_reg_move'> {
  return { type: 'nx_reg_move', src, dst };
}

/** set_field:value[/mask]->field, any width (NXAST_REG_LOAD2). */
export function setField(field: OxmField): Of<'nx_reg_load2'> {
  return { type: 'nx_reg_load2', field };
}

/** set_tunnel64:id. */
export function setTunnel(tunId: bigint | number): Of<'nx_set_tunnel64'> {
  return { type: 'nx_set_tunnel64', tunId: BigInt(tunId) };
}

/** output:field[..] — to the port held in a subfield. */
export function outputReg(src: Subfield, maxLen = 0xffff): Of<'nx_output_reg'> {
  return { type: 'nx_output_reg', src, maxLen };
}

/** note:bytes — a string is written as UTF-8. */
export function note(data: string | Uint8Array): Of<'nx_note'> {
  return { type: 'nx_note', note: typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data) };
}

/** conjunction(id, clause/nClauses), clause 1-based as OVS writes it. */
export function conjunction(id: number, clause: number, nClauses: number): Of<'nx_conjunction'> {
  return { type: 'nx_conjunction', id, clause: clause - 1, nClauses };
}

/** controller(...) as NXAST_CONTROLLER2 properties, in OVS's order. */
export function controller(
  options: {
    readonly maxLen?: number;
    readonly controllerId?: number;
    readonly reason?: number;
    readonly userdata?: Uint8Array;
    readonly pause?: boolean;
    readonly meterId?: number;
  } = {},
): Of<'nx_controller2'> {
  const properties: Controller2Property[] = [];
  if (options.maxLen !== undefined) properties.push({ type: 'max_len', maxLen: options.maxLen });
  if (options.controllerId !== undefined)
    properties.push({ type: 'controller_id', controllerId: options.controllerId });
  if (options.reason !== undefined) properties.push({ type: 'reason', reason: options.reason });
  if (options.userdata !== undefined)
    properties.push({ type: 'userdata', userdata: Buffer.from(options.userdata) });
  if (options.pause) properties.push({ type: 'pause' });
  if (options.meterId !== undefined) properties.push({ type: 'meter_id', meterId: options.meterId });
  return { type: 'nx_controller2', properties };
}

/** nat(src=min[-max][:portMin[-portMax]]), nat(dst=...), or plain nat. */
export function nat(
  options: {
    readonly kind?: 'src' | 'dst';
    readonly min?: Ipv4Address;
    readonly max?: Ipv4Address;
    readonly portMin?: number;
    readonly portMax?: number;
    readonly persistent?: boolean;
    readonly random?: boolean;
    readonly hash?: boolean;
  } = {},
): Of<'nx_nat'> {
  let flags = options.kind === 'src' ? NX_NAT_F.SRC : options.kind === 'dst' ? NX_NAT_F.DST : 0;
  if (options.persistent) flags |= NX_NAT_F.PERSISTENT;
  if (options.hash) flags |= NX_NAT_F.PROTO_HASH;
  if (options.random) flags |= NX_NAT_F.PROTO_RANDOM;
  const body: { -readonly [K in keyof NatBody]: NatBody[K] } = { flags };
  if (options.min !== undefined) body.ipv4Min = options.min;
  if (options.max !== undefined) body.ipv4Max = options.max;
  if (options.portMin !== undefined) body.protoMin = options.portMin;
  if (options.portMax !== undefined) body.protoMax = options.portMax;
  return { type: 'nx_nat', ...body };
}

/** ct(commit?, force?, zone=N|subfield, table=N, alg=N, exec(...), nat(...)). */
export function ct(
  options: {
    readonly commit?: boolean;
    readonly force?: boolean;
    readonly zone?: number | Subfield;
    readonly table?: number;
    readonly alg?: number;
    readonly exec?: readonly CtNestedAction[];
    readonly nat?: Of<'nx_nat'>;
  } = {},
): Of<'nx_ct'> {
  const actions: CtNestedAction[] = [...(options.exec ?? [])];
  if (options.nat) actions.push(options.nat);
  return {
    type: 'nx_ct',
    flags: (options.commit ? NX_CT_F.COMMIT : 0) | (options.force ? NX_CT_F.FORCE : 0),
    zone: options.zone ?? 0,
    recircTable: options.table ?? NX_CT_RECIRC_NONE,
    alg: options.alg ?? 0,
    actions,
  };
}

/** learn: the learned flow matches dst[..] = src[..] of this packet (same field by default). */
export function learnMatch(
  dst: Subfield,
  src: FieldRef | { readonly value: bigint } = dst.field,
  srcOfs = 0,
): LearnSpec {
  return {
    kind: 'match',
    nbits: dst.nbits,
    src: typeof src === 'object' ? src : { field: src, ofs: srcOfs },
    dst: { field: dst.field, ofs: dst.ofs },
  };
}

/** learn: the learned flow loads src (bits of this packet or a value) into dst[..]. */
export function learnLoad(dst: Subfield, src: Subfield | { readonly value: bigint }): LearnSpec {
  return {
    kind: 'load',
    nbits: dst.nbits,
    src: 'value' in src ? src : { field: src.field, ofs: src.ofs },
    dst: { field: dst.field, ofs: dst.ofs },
  };
}

/** learn: the learned flow outputs to the port held in src[..] of this packet. */
export function learnOutput(src: Subfield): LearnSpec {
  return { kind: 'output', nbits: src.nbits, src: { field: src.field, ofs: src.ofs } };
}

/** learn(table=..., specs) with OVS's defaults (priority 0x8000, no timeouts, cookie 0). */
export function learn(options: {
  readonly table: number;
  readonly specs: readonly LearnSpec[];
  readonly priority?: number;
  readonly idleTimeout?: number;
  readonly hardTimeout?: number;
  readonly cookie?: bigint;
  readonly flags?: number;
  readonly finIdleTimeout?: number;
  readonly finHardTimeout?: number;
}): Of<'nx_learn'> {
  return {
    type: 'nx_learn',
    idleTimeout: options.idleTimeout ?? 0,
    hardTimeout: options.hardTimeout ?? 0,
    priority: options.priority ?? 0x8000,
    cookie: options.cookie ?? 0n,
    flags: options.flags ?? 0,
    tableId: options.table,
    finIdleTimeout: options.finIdleTimeout ?? 0,
    finHardTimeout: options.finHardTimeout ?? 0,
    specs: options.specs,
  };
}
