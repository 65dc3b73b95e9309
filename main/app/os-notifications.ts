import { Notification, type BrowserWindow } from 'electron';
import type { OsNotifier } from '../notifications/index.js';
import { focus } from './window-security.js';

/**
 * The notification centre's OS side under Electron: a new arrival is shown by the operating
 * system while the window is not in front (in front, the window's centre says it already); a
 * click brings the window forward and `activate` has it show the page the notification links to.
 * The renderer itself may not post notifications (window-security.ts denies the permission).
 */
export function electronNotifier(window: () => BrowserWindow | null): OsNotifier & { dispose(): void } {
  // Electron drops the click handler of a notification nobody references; kept until closed.
  const shown = new Set<Notification>();
  return {
    show(n, text, activate) {
      if (!Notification.isSupported()) return;
      const w = window();
      if (w && !w.isDestroyed() && w.isVisible() && w.isFocused()) return;
      const note = new Notification({ title: text.title, body: text.body, urgency: n.severity === 'info' ? 'low' : 'normal' });
      shown.add(note);
      note.on('click', () => {
        focus(window());
        activate();
      });
      note.on('close', () => shown.delete(note));
      note.show();
    },
    dispose() {
      for (const note of shown) note.close();
      shown.clear();
    },
  };
}
