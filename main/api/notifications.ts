import { z } from 'zod';
import { channel, event } from './channel.js';

// The notifications domain of the contract: what the app tells the person without being asked
// (a meter that went silent, a wallet that locked itself, a signature waiting, a day the operator
// recorded differently, an offer filled …), each linking to the page that acts on it.

export const notificationsErrorCodes = [] as const;

/**
 * What happened, as a stable code the UI translates (en, zh-CN) with `params`; the main process
 * never sends words. A room that posts a new kind adds it here, to both UI tables
 * (renderer/i18n/…/notifications.ts) and to the OS text (main/notifications/os-text.ts).
 */
export const notificationKinds = [
  'meterDisconnected', // params: meterId?, reason? (an error code)
  'meterReconnected', // params: meterId?
  'walletLocked', // params: reason ('timeout' | 'removed')
  'approvalWaiting', // params: summary (non-secret), request (its kind: typedData, transaction …)
  'dayDiffers', // params: date (YYYY-MM-DD)
  'offerFilled', // params: offerId?, energyWh?, price? (the market's own)
  'settlementDue', // params: offerId?, date?
  'escrowReclaimable', // params: offerId?, amount?, symbol?, decimals?
  'offerSettled', // params: offerId, deliveredWh, amount (smallest unit), symbol, decimals (the market's own)
] as const;
export const notificationKind = z.enum(notificationKinds);
export type NotificationKind = z.infer<typeof notificationKind>;

export const notificationSeverity = z.enum(['info', 'warning', 'error']);
export type NotificationSeverity = z.infer<typeof notificationSeverity>;

/** The pages of the window a notification may send the person to (renderer/lib/router's ids). */
export const notificationPage = z.enum(['overview', 'history', 'bills', 'sell', 'buy', 'wallet', 'ledger', 'diagnostics', 'settings']);
export type NotificationPage = z.infer<typeof notificationPage>;

const paramValue = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);

export const notificationLinkSchema = z.object({
  page: notificationPage,
  /** An element id or a page's own sub-address (a date on the Ledger page); null: the page's heading. */
  anchor: z.string().max(200).nullable(),
});
export type NotificationLink = z.infer<typeof notificationLinkSchema>;

export const notificationSchema = z.object({
  /** Unique for this run; a repeat of the same kind+key keeps its id. */
  id: z.string(),
  kind: notificationKind,
  /** What makes two of a kind the same thing (a meter id, a date, an approval id); '' when one of a kind is all there is. */
  key: z.string().max(200),
  severity: notificationSeverity,
  params: z.record(z.string(), paramValue),
  link: notificationLinkSchema,
  /** When it first happened, and when it last happened again (ms since epoch). */
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  /** How many times it happened while it was on the list (a meter that keeps dropping). */
  count: z.number().int().positive(),
});
export type Notification = z.infer<typeof notificationSchema>;

/** What a room posts: the service fills in id, times and count. */
export const notificationInputSchema = notificationSchema.pick({ kind: true, severity: true, params: true }).extend({
  key: z.string().max(200).default(''),
  link: notificationLinkSchema.extend({ anchor: z.string().max(200).nullable().default(null) }),
});
export type NotificationInput = z.input<typeof notificationInputSchema>;

export const notificationListSchema = z.object({
  /** Newest first. */
  notifications: z.array(notificationSchema),
});
export type NotificationList = z.infer<typeof notificationListSchema>;

const id = z.string().min(1).max(64);

export const notificationsChannels = {
  'notifications.list': channel({
    doc: 'The notifications the person has not dismissed, newest first.',
    request: z.object({}),
    response: notificationListSchema,
    errors: [],
  }),
  'notifications.dismiss': channel({
    doc: 'Take one notification off the list (an unknown id is no error: another window may have dismissed it).',
    request: z.object({ id }),
    response: z.object({ dismissed: z.boolean() }),
    errors: [],
  }),
  'notifications.dismissAll': channel({
    doc: 'Empty the list.',
    request: z.object({}),
    response: z.object({ dismissed: z.number().int().nonnegative() }),
    errors: [],
  }),
};

export const notificationsEvents = {
  'notifications.changed': event({
    doc: 'The list changed; `added` is the notification that arrived or happened again (to announce), null for a dismissal or withdrawal.',
    payload: notificationListSchema.extend({ added: notificationSchema.nullable() }),
  }),
  'notifications.activated': event({
    doc: 'The person clicked an OS notification: the window shows the page it links to.',
    payload: z.object({ id: z.string(), link: notificationLinkSchema }),
  }),
};
