/**
 * nxAction: every Nicira extension action, told apart by the subtype at byte 8. The same
 * bytes sit in OpenFlow 1.0 vendor actions and 1.3 experimenter actions: each case has type
 * 0xffff at byte 0 and vendor 0x00002320 at byte 4, which the version's action union
 * dispatches on. Subtypes not declared here decode as nx_unknown.
 */
import { union, type ValueOf } from '../codec';
import { nxBundle, nxBundleLoad } from './bundle';
import { nxCt, nxCtClear } from './conntrack';
import { nxController, nxController2 } from './controller';
import { nxDecTtl, nxDecTtlCntIds } from './dec-ttl';
import { nxConjunction, nxExit, nxFinTimeout, nxWriteMetadata } from './flow-control';
import { nxLearn } from './learn';
import { nxMultipath } from './multipath';
import { nxNat } from './nat';
import { nxNote } from './note';
import { nxPopQueue, nxSetQueue } from './queue';
import { nxOutputReg, nxOutputReg2, nxRegLoad, nxRegLoad2, nxRegMove } from './registers';
import { nxResubmit, nxResubmitTable, nxResubmitTableCt } from './resubmit';
import { nxSetTunnel, nxSetTunnel64 } from './tunnel';
import { nxUnknown } from './unknown';

export const nxAction = union(
  'nx_action',
  [
    nxResubmit,
    nxResubmitTable,
    nxResubmitTableCt,
    nxSetTunnel,
    nxSetTunnel64,
    nxSetQueue,
    nxPopQueue,
    nxRegMove,
    nxRegLoad,
    nxRegLoad2,
    nxNote,
    nxOutputReg,
    nxOutputReg2,
    nxLearn,
    nxConjunction,
    nxCt,
    nxCtClear,
    nxNat,
    nxController,
    nxController2,
    nxDecTtl,
    nxDecTtlCntIds,
    nxMultipath,
    nxBundle,
    nxBundleLoad,
    nxExit,
    nxFinTimeout,
    nxWriteMetadata,
  ],
  { at: 8, width: 2, fallback: nxUnknown },
);

export type NxAction = ValueOf<typeof nxAction>;
