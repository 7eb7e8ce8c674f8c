/**
 * OXM/NXM match fields: the field registry, one TLV's codec, the OpenFlow 1.3 ofp_match,
 * OFPAT_SET_FIELD, canonical keys, prerequisites and builders (see docs/openflow-oxm.md).
 */
export * from './builders';
export * from './field-registry';
export * from './match';
export * from './match-error';
export * from './match-key';
export * from './normalize';
export * from './oxm-field';
export * from './prerequisites';
export * from './set-field';
export * from './value-kind';
