import { join } from 'node:path';
import type { EventBus } from '../api/event-bus.js';
import { toDisposable, type Subscription } from '../lifecycle/emitter.js';
import type { Logger } from '../logging/logger.js';
import type { Reading } from '../meter/reading.js';
import { CsvImportSessions } from './csv/csv-import-session.js';
import { historyHandlers, type HistoryHandlers } from './handlers.js';
import { householdOf, type HouseholdFacts } from './household.js';
import { HistoryService } from './service.js';

export interface HistoryPorts {
  readonly dataDir: string;
  /** The install root: the built-in tariffs are resources/tariffs under it. */
  readonly root: string;
  /** Where 'history.appended' goes. */
  readonly bus: Pick<EventBus, 'emit'>;
  readonly logger: Logger;
  readonly now: () => number;
  /** The desktop app's save dialog, for exports (null answer = cancelled); absent in the browser host. */
  readonly chooseSavePath?: (suggestedName: string) => Promise<string | null>;
}

/** Anything that hands out readings as they arrive (the meter room's `readings`). */
export type ReadingFeed = (listener: (reading: Reading) => void) => Subscription | (() => void);

export interface History {
  readonly service: HistoryService;
  readonly handlers: HistoryHandlers;
  /** The household's zone and currency, read afresh on each call. */
  household(): HouseholdFacts;
  /** Stores each reading of `feed` as it arrives, until the returned subscription is disposed. */
  record(feed: ReadingFeed): Subscription;
  dispose(): void;
}

/** The history room: the SQLite store of the data folder, its channels, and what others read of it. */
export function createHistory(ports: HistoryPorts): History {
  const service = new HistoryService({
    dataDir: ports.dataDir,
    builtinTariffDir: join(ports.root, 'resources', 'tariffs'),
    emit: (event, payload) => ports.bus.emit(event, payload),
    now: ports.now,
  });
  const imports = new CsvImportSessions({ store: service.store, onProgress: (p) => ports.bus.emit('history.importProgress', p) });
  return {
    service,
    handlers: historyHandlers(service, { imports, ...(ports.chooseSavePath ? { chooseSavePath: ports.chooseSavePath } : {}) }),
    household: () => householdOf(service),
    record(feed) {
      const off = feed((reading) => {
        try {
          service.ingest([reading]);
        } catch (error) {
          // A reading the store refuses is logged, never allowed to stop the meter.
          ports.logger.error('history refused a reading', { error, meter: reading.meterId });
        }
      });
      return typeof off === 'function' ? toDisposable(off) : off;
    },
    dispose: () => {
      imports.dispose();
      service.dispose();
    },
  };
}
