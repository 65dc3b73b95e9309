import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationLink } from '../../../main/api/notifications.js';
import { composedApp, until, type ComposedApp } from '../../../test/support/renderer-api.js';
import { NotificationCentre } from './notification-centre.svelte.js';

// The notification centre's store over the app as composeServices builds it, through the
// contract's client (JSON on the wire): the list follows the main process's, each arrival is
// the one to announce, dismissing goes through the channels, an OS click opens the page.
describe('NotificationCentre', () => {
  let app: ComposedApp;
  beforeAll(async () => {
    app = await composedApp({ settingsOverrides: { rpcUrl: 'http://127.0.0.1:9' } });
  }, 60_000);
  afterAll(async () => app?.dispose());

  it('holds what the main process posts, announces each arrival, dismisses one and all, and follows an activated OS notification', async () => {
    const opened: NotificationLink[] = [];
    const centre = new NotificationCentre(app.api, { open: (link) => opened.push(link) });
    const { notifier } = app.services.notifications;
    notifier.notify({ kind: 'dayDiffers', key: '2025-03-02', severity: 'warning', params: { date: '2025-03-02' }, link: { page: 'ledger', anchor: '2025-03-02' } });
    const stop = centre.start();
    try {
      await until(() => centre.loaded && centre.count === 1);
      expect(centre.latest).toBeNull(); // on the list before the window opened: nothing to announce

      app.services.bus.emit('wallet.locked', { reason: 'timeout' });
      await until(() => centre.count === 2);
      expect(centre.items.map((n) => n.kind)).toEqual(['walletLocked', 'dayDiffers']);
      expect(centre.latest).toMatchObject({ kind: 'walletLocked' });
      expect(centre.arrivals).toBe(1);

      await centre.dismiss(centre.items[0]!.id);
      expect(centre.items.map((n) => n.kind)).toEqual(['dayDiffers']);
      expect(app.services.notifications.service.list().notifications).toHaveLength(1);

      app.services.bus.emit('notifications.activated', { id: centre.items[0]!.id, link: centre.items[0]!.link });
      await until(() => opened.length === 1);
      expect(opened).toEqual([{ page: 'ledger', anchor: '2025-03-02' }]);

      await centre.dismissAll();
      expect(centre.count).toBe(0);
      expect(app.services.notifications.service.list().notifications).toEqual([]);
      expect(centre.activity.error).toBeNull();
    } finally {
      stop();
    }
  });
});
