import type { EventBus } from '../../api/event-bus.js';
import type { SessionStatusPayload } from '../../api/session.js';
import type { Disposable } from '../../lifecycle/disposables.js';
import type { Notifier } from '../notification-service.js';

export interface MeterWatchOptions {
  /**
   * How long the session may wait to reconnect before the person is told: a meter session drops
   * and reopens its link on a single bad read, and that is no news (default 5 s).
   */
  readonly graceMs?: number;
}

/**
 * Meter disconnected / reconnected, from the session's state as the bus carries it. Waiting to
 * reconnect past the grace is "disconnected" (also when the meter was never reached since the
 * start: Wattlet is not reading it either way); reading again after that is "reconnected", and
 * withdraws the disconnection. A session that keeps failing is told once, not once per retry.
 */
export function watchMeter(events: Pick<EventBus, 'on'>, notifier: Notifier, options: MeterWatchOptions = {}): Disposable {
  const graceMs = options.graceMs ?? 5_000;
  let told = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  const tell = (s: SessionStatusPayload) => {
    timer = null;
    told = true;
    notifier.withdraw('meterReconnected');
    notifier.notify({
      kind: 'meterDisconnected',
      severity: 'warning',
      params: { meterId: s.meterId, reason: s.counters.lastErrorCode },
      link: { page: 'diagnostics' },
    });
  };
  const subscription = events.on('meter.state', (s) => {
    if (s.state === 'reading') {
      cancel();
      if (!told) return;
      told = false;
      notifier.withdraw('meterDisconnected');
      notifier.notify({ kind: 'meterReconnected', severity: 'info', params: { meterId: s.meterId }, link: { page: 'overview' } });
    } else if (s.state === 'waiting') {
      if (told || timer) return;
      if (graceMs <= 0) tell(s);
      else timer = setTimeout(() => tell(s), graceMs);
    } else if (s.state === 'stopped') {
      cancel();
    }
  });
  return {
    dispose: () => {
      cancel();
      subscription.dispose();
    },
  };
}
