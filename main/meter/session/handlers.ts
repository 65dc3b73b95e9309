import { WattletError } from '../../api/errors.js';
import type { EventBus } from '../../api/event-bus.js';
import type { Handler } from '../../api/dispatcher.js';
import type { PayloadOf, ResponseOf } from '../../api/contract.js';
import type { Reading } from '../reading.js';
import type { MeterSession, SessionStatus } from './meter-session.js';

// The session's types must stay assignable to the contract's payloads (checked here, at compile time).
const readingFits = (r: Reading): PayloadOf<'meter.reading'> => ({ ...r, quantities: [...r.quantities], raw: [...r.raw] });
const statusFits = (s: SessionStatus): ResponseOf<'meter.session.status'> => s;

/**
 * The handlers of the session's channels; the composition root merges them into the
 * dispatcher's map. `session` may be a getter: null (no meter configured) answers
 * METER_SESSION_NOT_RUNNING.
 */
export function sessionHandlers(session: MeterSession | (() => MeterSession | null)): {
  'meter.session.status': Handler<'meter.session.status'>;
} {
  const current = () => (typeof session === 'function' ? session() : session);
  return {
    'meter.session.status': () => {
      const s = current();
      if (!s) throw new WattletError('METER_SESSION_NOT_RUNNING', 'No meter session is running', {});
      return statusFits(s.status());
    },
  };
}

/** Forward the session's readings and state changes to the UI as contract events. Returns the unsubscribe. */
export function forwardSessionEvents(session: MeterSession, bus: EventBus): () => void {
  const offReading = session.onReading((r) => bus.emit('meter.reading', readingFits(r)));
  const offState = session.onState((s) => bus.emit('meter.state', statusFits(s)));
  return () => {
    offReading();
    offState();
  };
}
