import type { WattletApi } from '../../../main/api/contract.js';
import type { Notification, NotificationLink } from '../../../main/api/notifications.js';
import { Activity } from '../../lib/activity.svelte.js';

export interface NotificationCentreOptions {
  /** Shows the page a notification links to (the router's `go`). */
  readonly open: (link: NotificationLink) => void;
}

/**
 * The window's notification centre: the list the main process keeps (loaded once, then carried
 * by every notifications.changed, which holds the whole list), the newest arrival to announce,
 * dismissing, and following a link — also when the person clicked the OS's notification
 * (notifications.activated).
 */
export class NotificationCentre {
  items = $state<Notification[]>([]);
  /** What arrived last (or happened again), for the live region; null until something does. */
  latest = $state<Notification | null>(null);
  /** Bumped with each arrival, so the same notification arriving twice is announced twice. */
  arrivals = $state(0);
  loaded = $state(false);
  readonly activity = new Activity<'dismiss' | 'dismissAll'>();
  readonly #api: WattletApi;
  readonly #options: NotificationCentreOptions;
  #seq = 0;

  constructor(api: WattletApi, options: NotificationCentreOptions) {
    this.#api = api;
    this.#options = options;
  }

  get count(): number {
    return this.items.length;
  }

  start(): () => void {
    const offChanged = this.#api.on('notifications.changed', (change) => {
      this.#seq++; // a list on its way from an earlier load is older than this one
      this.items = change.notifications;
      this.loaded = true;
      if (change.added) {
        this.latest = change.added;
        this.arrivals++;
      }
    });
    const offActivated = this.#api.on('notifications.activated', ({ link }) => this.#options.open(link));
    void this.reload();
    return () => {
      offChanged();
      offActivated();
      this.#seq++;
    };
  }

  async reload(): Promise<void> {
    const seq = ++this.#seq;
    await this.activity.load(async () => {
      const { notifications } = await this.#api.invoke('notifications.list', {});
      if (seq !== this.#seq) return;
      this.items = notifications;
      this.loaded = true;
    });
  }

  open(n: Notification): void {
    this.#options.open(n.link);
  }

  async dismiss(id: string): Promise<void> {
    await this.activity.run('dismiss', async () => {
      await this.#api.invoke('notifications.dismiss', { id });
      // The event carries the new list; taking it off here too keeps the list right if it is late.
      this.items = this.items.filter((n) => n.id !== id);
    });
  }

  async dismissAll(): Promise<void> {
    await this.activity.run('dismissAll', async () => {
      await this.#api.invoke('notifications.dismissAll', {});
      this.items = [];
    });
  }
}
