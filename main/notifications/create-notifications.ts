import type { Settings } from '../api/app.js';

type Language = Settings['language'];
import type { EventBus } from '../api/event-bus.js';
import { DisposableStore } from '../lifecycle/disposables.js';
import type { ListenerErrorHandler } from '../lifecycle/emitter.js';
import { notificationsHandlers } from './handlers.js';
import { NotificationService, type Notifier } from './notification-service.js';
import type { OsNotifier } from './os-notifier.js';
import { osNotificationText } from './os-text.js';
import { watchLedger } from './sources/ledger-source.js';
import { watchMeter } from './sources/meter-source.js';
import { watchWallet } from './sources/wallet-source.js';

export interface NotificationsPorts {
  /** Where the list's changes go ('notifications.changed', 'notifications.activated') and where the meter's, wallet's and ledger's news comes from. */
  readonly bus: Pick<EventBus, 'emit' | 'on'>;
  /** The person's language, for the words of OS notifications. */
  readonly language: () => Language;
  /** The host's OS notifications (Electron); none in the browser host and the CLI. */
  readonly os?: OsNotifier | null;
  readonly now?: () => number;
  /** How long a meter may be reconnecting before the person is told (default 5 s). */
  readonly meterGraceMs?: number;
  readonly onListenerError?: ListenerErrorHandler;
}

export interface Notifications {
  readonly service: NotificationService;
  /** The port other rooms are given (the market's fills and settlements): post and withdraw only. */
  readonly notifier: Notifier;
  readonly handlers: ReturnType<typeof notificationsHandlers>;
  dispose(): Promise<void>;
}

/**
 * The notification centre's room: the list, its channels and event, the OS notifications of the
 * host, and the news the app's own events already carry (the meter's session state, the wallet's
 * lock and approvals, the ledger's range verification). Rooms with news no event carries get
 * `notifier` as a port.
 */
export function createNotifications(ports: NotificationsPorts): Notifications {
  const store = new DisposableStore();
  const service = store.add(
    new NotificationService({ ...(ports.now ? { now: ports.now } : {}), ...(ports.onListenerError ? { onListenerError: ports.onListenerError } : {}) }),
  );
  store.add(
    service.onChange((change) => {
      ports.bus.emit('notifications.changed', change);
      const added = change.added;
      // A repeat (count > 1) is already on the person's screen or in their OS's list.
      if (!added || added.count > 1 || !ports.os) return;
      ports.os.show(added, osNotificationText(ports.language(), added), () =>
        ports.bus.emit('notifications.activated', { id: added.id, link: added.link }),
      );
    }),
  );
  const notifier: Notifier = { notify: (input) => service.notify(input), withdraw: (kind, key) => service.withdraw(kind, key) };
  store.add(watchMeter(ports.bus, notifier, ports.meterGraceMs !== undefined ? { graceMs: ports.meterGraceMs } : {}));
  store.add(watchWallet(ports.bus, notifier));
  store.add(watchLedger(ports.bus, notifier));
  return { service, notifier, handlers: notificationsHandlers(service), dispose: () => store.dispose() };
}
