import type { Handlers } from '../api/dispatcher.js';
import type { LedgerService } from './ledger-service.js';
import { saveExport, type ChooseSavePath } from './dispute/save-export.js';

type LedgerHandlers = Pick<
  Handlers,
  'ledger.checkpoint' | 'ledger.pinCheckpoint' | 'ledger.clearCheckpoint' |
  'ledger.disputePack' | 'ledger.disputePackFile' | 'ledger.intervalProof' | 'ledger.intervalProofFile' |
  'ledger.status' | 'ledger.days' | 'ledger.verifyDay' | 'ledger.verifyInterval' | 'ledger.evidence' | 'ledger.verifyRange' | 'ledger.cancelVerify' | 'ledger.attest'
>;

/** The ledger's channels (main/api/ledger.ts) over one LedgerService; the composition root spreads these into the dispatcher. */
export function ledgerHandlers(service: LedgerService, ports: { readonly chooseSavePath?: ChooseSavePath } = {}): LedgerHandlers {
  return {
    'ledger.disputePack': (r) => service.disputePack(r.date),
    'ledger.disputePackFile': async (r) => {
      // The dialog first: a person who cancels is not then asked to approve a signature.
      const save = await saveExport(ports.chooseSavePath, r.suggestedName ?? `wattlet-dispute-${r.date}.json`, 'ledger.disputePackFile');
      const pack = await service.disputePack(r.date);
      const written = await save.write(pack.text);
      return { file: written.file, bytes: written.bytes, signer: pack.signer, verdict: pack.verdict, anchored: pack.anchored, refusedAt: pack.refusedAt };
    },
    'ledger.intervalProof': (r) => service.intervalProof(r.date, r.index),
    'ledger.intervalProofFile': async (r) => {
      const save = await saveExport(ports.chooseSavePath, r.suggestedName ?? `wattlet-interval-${r.date}-${String(r.index).padStart(2, '0')}.json`, 'ledger.intervalProofFile');
      return save.write((await service.intervalProof(r.date, r.index)).text);
    },
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
