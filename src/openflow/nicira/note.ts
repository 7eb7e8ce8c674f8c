/** NXAST_NOTE: opaque bytes kept with the flow (OVS pads them with zeros to 8). */
import { restBytes, struct, type ValueOf } from '../codec';
import { NXAST, nxHeader } from './nx-header';

export const nxNote = struct(
  'nx_action_note',
  { ...nxHeader(NXAST.NOTE), note: restBytes },
  { tag: 'nx_note' },
);

export type NxNote = ValueOf<typeof nxNote>;
