import type { EventBus } from '../../api/event-bus.js';
import type { Disposable } from '../../lifecycle/disposables.js';
import type { Notifier } from '../notification-service.js';

/** A day my meter recorded differently from the operator, found by a range verification. */
export function watchLedger(events: Pick<EventBus, 'on'>, notifier: Notifier): Disposable {
  return events.on('ledger.verifyProgress', ({ date, status }) => {
    if (status === 'differs') notifyDayDiffers(notifier, date);
  });
}

/** The one way a day that differs is told, whichever part of the ledger found it. */
export function notifyDayDiffers(notifier: Pick<Notifier, 'notify'>, date: string): void {
  notifier.notify({ kind: 'dayDiffers', key: date, severity: 'warning', params: { date }, link: { page: 'ledger', anchor: date } });
}
