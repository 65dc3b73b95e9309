import { join } from 'node:path';
import type { EventBus } from '../api/event-bus.js';
import type { Subscription } from '../lifecycle/emitter.js';
import type { Logger } from '../logging/logger.js';
import type { TransactionSender } from './attest/transaction-sender.js';
import type { LedgerChain } from './chain/chain-connection.js';
import { meterIdOf } from './chain/meter-id.js';
import { CHECKPOINT_FILE_NAME, CheckpointStore } from './checkpoint/checkpoint-store.js';
import type { PackSigner } from './dispute/pack-signer.js';
import { ledgerHandlers } from './handlers.js';
import { LedgerService } from './ledger-service.js';
import type { HandoverSource } from './operator/demo-operator.js';
import { handoverFolder } from './operator/handover-files.js';
import type { ReadingSource } from './operator/reading-source.js';

export interface LedgerPorts {
  /** Where the ledger is (Settings' endpoint, or demo mode's local chain): read on every call. */
  readonly chain: LedgerChain;
  /** The household's meter: its serial (hashed to the ledger's meter id) or a bytes32 id. */
  readonly meter: string;
  /** My meter's intervals: historyReadingSource over the history. */
  readonly local: ReadingSource;
  /** The operator's intervals with salts; default: the files saved in <dataDir>/handovers. */
  readonly handovers?: HandoverSource | null;
  readonly dataDir: string;
  /** Who signs attestations (the wallet, after a person approves); without one, LEDGER_NO_SIGNER. */
  readonly signer?: TransactionSender;
  /** Who signs dispute packs (walletPackSigner: the wallet, after a person approves); without one, LEDGER_NO_SIGNER. */
  readonly packSigner?: PackSigner;
  /** The desktop app's save dialog, for packs and interval proofs saved to a file. */
  readonly chooseSavePath?: (suggestedName: string) => Promise<string | null>;
  /** 'ledger.verifyProgress', 'ledger.statusChanged'. */
  readonly bus: Pick<EventBus, 'emit'>;
  readonly logger: Logger;
  readonly now?: () => number;
}

export interface Ledger {
  readonly service: LedgerService;
  readonly handlers: ReturnType<typeof ledgerHandlers>;
  /** The household's meter as the contract knows it (bytes32). */
  readonly meterId: string;
  /** Where the operator's intervals come from: the market settles on the same. */
  readonly handovers: HandoverSource;
  dispose(): void;
}

/**
 * The ledger room's one wiring: the service over the chain port, the household's record and the
 * operator's handovers, its channels, and its status told to the UI whenever the chain behind it
 * comes or goes (demo mode's local chain starts in the background).
 */
export function createLedger(ports: LedgerPorts): Ledger {
  const meterId = meterIdOf(ports.meter);
  const handovers = ports.handovers ?? handoverFolder(join(ports.dataDir, 'handovers'));
  const service = new LedgerService({
    mode: () => ports.chain.mode(),
    endpoint: () => ports.chain.endpoint(),
    meterId,
    local: ports.local,
    handovers,
    ...(ports.signer ? { sender: ports.signer } : {}),
    emit: (event, payload) => ports.bus.emit(event, payload),
    ...(ports.now ? { now: ports.now } : {}),
    checkpoints: new CheckpointStore(join(ports.dataDir, CHECKPOINT_FILE_NAME)),
    ...(ports.packSigner ? { packSigner: ports.packSigner } : {}),
  });
  const changes: Subscription = ports.chain.onDidChange(() => {
    void service.status().then(
      (s) => ports.bus.emit('ledger.statusChanged', s),
      (error: unknown) => ports.logger.error('ledger status failed', { error }),
    );
  });
  return {
    service,
    handlers: ledgerHandlers(service, ports.chooseSavePath ? { chooseSavePath: ports.chooseSavePath } : {}),
    meterId,
    handovers,
    dispose() {
      changes.dispose();
      service.dispose();
    },
  };
}
