import { join } from 'node:path';
import { historyHandlers } from '../history/handlers.js';
import { HistoryService } from '../history/service.js';
import type { MeterSession } from '../meter/session/meter-session.js';
import type { WireContext } from './wire-context.js';

export interface HistoryWiring {
  readonly history: HistoryService;
  readonly handlers: ReturnType<typeof historyHandlers>;
  /** Store the session's readings as they arrive; returns the unsubscribe. */
  connect(session: MeterSession): () => void;
}

export function wireHistory(ctx: WireContext): HistoryWiring {
  const history = new HistoryService({
    dataDir: ctx.dataDir,
    builtinTariffDir: join(ctx.root, 'resources', 'tariffs'),
    emit: (event, payload) => ctx.bus.emit(event, payload),
    now: ctx.now,
  });
  ctx.disposables.add(history);
  return {
    history,
    handlers: historyHandlers(history),
    connect(session) {
      return session.onReading((reading) => {
        try {
          history.ingest([reading]);
        } catch (error) {
          // A reading the store refuses is logged, never allowed to stop the session.
          ctx.logger.error('history refused a reading', { error, meter: reading.meterId });
        }
      });
    },
  };
}
