import type { Handlers } from '../api/dispatcher.js';
import type { LedgerService } from './ledger-service.js';

type LedgerHandlers = Pick<
  Handlers,
  'ledger.status' | 'ledger.days' | 'ledger.verifyDay' | 'ledger.verifyInterval' | 'ledger.verifyRange' | 'ledger.cancelVerify' | 'ledger.attest'
>;

/** The ledger's channels (main/api/ledger.ts) over one LedgerService; the composition root spreads these into the dispatcher. */
export function ledgerHandlers(service: LedgerService): LedgerHandlers {
  return {
    'ledger.status': () => service.status(),
    'ledger.days': (r) => service.days(r.from, r.to),
    'ledger.verifyDay': (r) => service.verifyDay(r.date),
    'ledger.verifyInterval': (r) => service.verifyInterval(r.date, r.index),
    'ledger.verifyRange': (r) => service.verifyRange(r.jobId, r.from, r.to),
    'ledger.cancelVerify': (r) => service.cancelVerify(r.jobId),
    'ledger.attest': async (r) => {
      const a = await service.attest(r.date);
      return { txHash: a.txHash, root: a.root, importWh: a.importWh.toString(), exportWh: a.exportWh.toString(), blockNumber: a.blockNumber };
    },
  };
}
