import type { Handlers } from '../api/dispatcher.js';
import type { LedgerService } from './ledger-service.js';

type LedgerHandlers = Pick<
  Handlers,
  'ledger.checkpoint' | 'ledger.pinCheckpoint' | 'ledger.clearCheckpoint' |
  'ledger.status' | 'ledger.days' | 'ledger.verifyDay' | 'ledger.verifyInterval' | 'ledger.evidence' | 'ledger.verifyRange' | 'ledger.cancelVerify' | 'ledger.attest'
>;

/** The ledger's channels (main/api/ledger.ts) over one LedgerService; the composition root spreads these into the dispatcher. */
export function ledgerHandlers(service: LedgerService): LedgerHandlers {
  return {
    'ledger.checkpoint': () => service.checkpoint(),
    'ledger.pinCheckpoint': (r) => service.pinCheckpoint(r),
    'ledger.clearCheckpoint': () => service.clearCheckpoint(),
    'ledger.status': () => service.status(),
    'ledger.days': (r) => service.days(r.from, r.to),
    'ledger.verifyDay': (r) => service.verifyDay(r.date),
    'ledger.verifyInterval': (r) => service.verifyInterval(r.date, r.index),
    'ledger.evidence': async (r) => ({ days: await service.evidence(r.dates, r.interval) }),
    'ledger.verifyRange': (r) => service.verifyRange(r.jobId, r.from, r.to),
    'ledger.cancelVerify': (r) => service.cancelVerify(r.jobId),
    'ledger.attest': async (r) => {
      const a = await service.attest(r.date);
      return { txHash: a.txHash, root: a.root, importWh: a.importWh.toString(), exportWh: a.exportWh.toString(), blockNumber: a.blockNumber };
    },
  };
}
