import type { Handlers } from '../api/dispatcher.js';
import type { NotificationService } from './notification-service.js';

type NotificationsChannel = 'notifications.list' | 'notifications.dismiss' | 'notifications.dismissAll';

/** The notifications part of the dispatcher's handler map. */
export function notificationsHandlers(service: NotificationService): Pick<Handlers, NotificationsChannel> {
  return {
    'notifications.list': () => service.list(),
    'notifications.dismiss': ({ id }) => ({ dismissed: service.dismiss(id) }),
    'notifications.dismissAll': () => ({ dismissed: service.dismissAll() }),
  };
}
