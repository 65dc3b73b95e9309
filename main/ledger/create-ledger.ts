import type { PayloadOf } from '../api/contract.js';
import type { TransactionSender } from './attest/transaction-sender.js';
import { startDemoLedger, type DemoLedger } from './chain/demo-ledger.js';
import { meterIdOf } from './chain/meter-id.js';
import { ledgerHandlers } from './handlers.js';
import { LedgerService } from './ledger-service.js';
import type { Discrepancy } from './operator/official-day.js';
import type { HandoverSource } from './operator/demo-operator.js';
import { handoverFolder } from './operator/handover-files.js';
import type { ReadingSource } from './operator/reading-source.js';

export interface CreateLedgerOptions {
  readonly mode: 'demo' | 'live';
  /** The meter's serial (or bytes32 id); hashed to the ledger's meter id. */
  readonly meter: string;
  /** My meter's intervals: historyReadingSource(history) in the app. */
  readonly local: ReadingSource;
  /** Live mode: Settings' rpcUrl and contractAddress, read on every call. */
  readonly settings?: () => { rpcUrl: string | null; contractAddress: string | null };
  /** Live mode: the folder the operator's interval files are saved in. */
  readonly intervalsDir?: string;
  readonly sender?: TransactionSender;
  readonly emit?: <E extends 'ledger.verifyProgress' | 'ledger.statusChanged'>(event: E, payload: PayloadOf<E>) => void;
  /** Demo mode: days to anchor at start, injected differences, the wallet address owning the meter. */
  readonly demo?: { days?: number; discrepancies?: readonly Discrepancy[]; owner?: string; fund?: readonly string[]; outDir?: string };
}

export interface Ledger {
  readonly service: LedgerService;
  readonly handlers: ReturnType<typeof ledgerHandlers>;
  /** Demo mode's chain and operator (null in live mode). */
  readonly demo: DemoLedger | null;
  dispose(): Promise<void>;
}

/**
 * One call for the composition root. Demo: starts the local chain, deploys EnergyLedger, lets the
 * demo operator anchor the last closed days from `local` (the simulated household's history),
 * and points the service at it. Live: the service follows Settings' endpoint and reads the
 * operator's interval files from `intervalsDir`.
 */
export async function createLedger(options: CreateLedgerOptions): Promise<Ledger> {
  const meterId = meterIdOf(options.meter);
  let demo: DemoLedger | null = null;
  let handovers: HandoverSource;
  let endpoint: () => { rpcUrl: string | null; contract: string | null };
  if (options.mode === 'demo') {
    demo = await startDemoLedger({
      source: options.local,
      meterId,
      ...(options.demo?.days !== undefined ? { days: options.demo.days } : {}),
      ...(options.demo?.discrepancies ? { discrepancies: options.demo.discrepancies } : {}),
      ...(options.demo?.owner ? { owner: options.demo.owner } : {}),
      ...(options.demo?.fund ? { fund: options.demo.fund } : {}),
      ...(options.demo?.outDir ? { outDir: options.demo.outDir } : {}),
    });
    const d = demo;
    handovers = d.operator;
    endpoint = () => ({ rpcUrl: d.url, contract: d.contract });
  } else {
    handovers = options.intervalsDir ? handoverFolder(options.intervalsDir) : { handover: async () => null };
    endpoint = () => {
      const s = options.settings?.();
      return { rpcUrl: s?.rpcUrl ?? null, contract: s?.contractAddress ?? null };
    };
  }
  const service = new LedgerService({
    mode: options.mode,
    endpoint,
    meterId,
    local: options.local,
    handovers,
    ...(options.sender ? { sender: options.sender } : {}),
    ...(options.emit ? { emit: options.emit } : {}),
  });
  return {
    service,
    handlers: ledgerHandlers(service),
    demo,
    async dispose() {
      service.dispose();
      await demo?.dispose();
    },
  };
}
