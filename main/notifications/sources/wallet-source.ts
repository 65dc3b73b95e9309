import type { EventBus } from '../../api/event-bus.js';
import type { Disposable } from '../../lifecycle/disposables.js';
import type { Notifier } from '../notification-service.js';

/**
 * The wallet's news: it locked itself (the auto-lock, or its keys were removed; a lock the person
 * asked for is no news), and a signature waits for the person on the approval surface, withdrawn
 * when it leaves the queue, whatever the outcome. The summary is the wallet's non-secret one.
 */
export function watchWallet(events: Pick<EventBus, 'on'>, notifier: Notifier): Disposable {
  const subscriptions = [
    events.on('wallet.locked', ({ reason }) => {
      if (reason === 'explicit') notifier.withdraw('walletLocked');
      else notifier.notify({ kind: 'walletLocked', severity: 'info', params: { reason }, link: { page: 'wallet' } });
    }),
    events.on('wallet.unlocked', () => notifier.withdraw('walletLocked')),
    events.on('wallet.approvalPending', (a) =>
      notifier.notify({
        kind: 'approvalWaiting',
        key: a.id,
        severity: 'warning',
        params: { summary: a.summary, request: a.kind },
        link: { page: 'wallet', anchor: 'pending-approvals' },
      }),
    ),
    events.on('wallet.approvalSettled', ({ id }) => notifier.withdraw('approvalWaiting', id)),
  ];
  return { dispose: () => subscriptions.forEach((s) => s.dispose()) };
}
