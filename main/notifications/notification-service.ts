import {
  notificationInputSchema,
  type Notification,
  type NotificationInput,
  type NotificationKind,
  type NotificationList,
} from '../api/notifications.js';
import { Emitter, type Event, type ListenerErrorHandler } from '../lifecycle/emitter.js';

/** What the list looks like after a change, and what arrived (null: something left the list). */
export interface NotificationsChange extends NotificationList {
  readonly added: Notification | null;
}

/**
 * The port a room is given to tell the person something: it posts and withdraws, and never sees
 * the list, nor another room's notifications.
 */
export interface Notifier {
  /** Posts a notification, or brings the one of the same kind+key back to the top (count + 1). */
  notify(input: NotificationInput): Notification;
  /** Takes the kind+key off the list because what it said no longer holds (the meter is back). */
  withdraw(kind: NotificationKind, key?: string): boolean;
}

export interface NotificationServiceOptions {
  readonly now?: () => number;
  /** How many stay on the list; the oldest go first. */
  readonly capacity?: number;
  readonly onListenerError?: ListenerErrorHandler;
}

/**
 * The notification centre's list. In memory only: what it holds is about this run (a meter that
 * dropped, an approval waiting), and the facts behind a lasting one (a day that differs) are the
 * ledger's and come back when the ledger looks again.
 */
export class NotificationService implements Notifier {
  /** Newest first; at most one per kind + key. */
  #items: Notification[] = [];
  #next = 1;
  readonly #now: () => number;
  readonly #capacity: number;
  readonly #changes: Emitter<NotificationsChange>;

  constructor(options: NotificationServiceOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#capacity = options.capacity ?? 50;
    this.#changes = new Emitter(options.onListenerError ? { onListenerError: options.onListenerError } : {});
  }

  /** Fires after every change of the list. */
  get onChange(): Event<NotificationsChange> {
    return this.#changes.event;
  }

  list(): NotificationList {
    return { notifications: [...this.#items] };
  }

  notify(input: NotificationInput): Notification {
    // Rooms are trusted code, but a kind, page or parameter outside the contract is a bug that
    // must surface where it is made, not as a RESPONSE_INVALID on the next list.
    const parsed = notificationInputSchema.parse(input);
    const at = this.#now();
    const same = this.#items.find((n) => n.kind === parsed.kind && n.key === parsed.key);
    const notification: Notification = same
      ? { ...same, severity: parsed.severity, params: parsed.params, link: parsed.link, updatedAt: at, count: same.count + 1 }
      : { id: `n${this.#next++}`, ...parsed, createdAt: at, updatedAt: at, count: 1 };
    this.#items = [notification, ...this.#items.filter((n) => n !== same)].slice(0, this.#capacity);
    this.#fire(notification);
    return notification;
  }

  withdraw(kind: NotificationKind, key = ''): boolean {
    return this.#remove((n) => n.kind === kind && n.key === key) > 0;
  }

  dismiss(id: string): boolean {
    return this.#remove((n) => n.id === id) > 0;
  }

  dismissAll(): number {
    return this.#remove(() => true);
  }

  /** The notification of that kind+key on the list, if any. */
  find(kind: NotificationKind, key = ''): Notification | null {
    return this.#items.find((n) => n.kind === kind && n.key === key) ?? null;
  }

  dispose(): void {
    this.#changes.dispose();
  }

  #remove(which: (n: Notification) => boolean): number {
    const before = this.#items.length;
    this.#items = this.#items.filter((n) => !which(n));
    const removed = before - this.#items.length;
    if (removed) this.#fire(null);
    return removed;
  }

  #fire(added: Notification | null): void {
    this.#changes.fire({ notifications: [...this.#items], added });
  }
}
