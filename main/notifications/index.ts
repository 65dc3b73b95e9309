/**
 * notifications: what the app tells the person without being asked, in the window's
 * notification centre and (under Electron) as OS notifications, each linking to the page that
 * acts on it. One factory:
 *
 *   const notifications = createNotifications({
 *     bus,                                  // emits notifications.changed / .activated; hears meter.state, wallet.*, ledger.verifyProgress
 *     language: () => settings.current.language,
 *     os,                                   // Electron: electronNotifier(...) (main/app); otherwise none
 *   });  // → { service, notifier, handlers, dispose }
 *
 * A room with news no event carries is given `notifications.notifier` (notify / withdraw) as a
 * port; notify is deduplicated by kind + key (the same thing again moves to the top and counts).
 * A new kind goes into main/api/notifications.ts, the window's tables and os-text.ts.
 */
export * from './notification-service.js';
export * from './os-notifier.js';
export * from './os-text.js';
export * from './handlers.js';
export * from './sources/meter-source.js';
export * from './sources/wallet-source.js';
export * from './sources/ledger-source.js';
export * from './create-notifications.js';
