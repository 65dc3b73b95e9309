import type { Notification } from '../api/notifications.js';

/**
 * The operating system's notifications, as a host offers them (Electron's Notification in
 * main/app; the browser host has none). The service hands it each new arrival with its words;
 * the host decides whether to show it (not while the window has the focus: the centre in the
 * window already says it) and calls `activate` when the person clicks it.
 */
export interface OsNotifier {
  show(notification: Notification, text: { readonly title: string; readonly body: string }, activate: () => void): void;
}
