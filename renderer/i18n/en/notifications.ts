// English strings of the notification centre. Keys mirror renderer/i18n/zh-CN/notifications.ts
// (the type checks it). Each kind has a title and a body with {param} placeholders; the main
// process's OS notifications say the same in main/notifications/os-text.ts.
export const notifications = {
  bell: 'Notifications',
  bellCount: 'Notifications: {count}',
  panel: 'Notifications',
  empty: 'Nothing new. Wattlet tells you here when the meter drops, the wallet locks, a signature waits or a day differs.',
  dismiss: 'Dismiss',
  dismissLabel: 'Dismiss: {title}',
  dismissAll: 'Dismiss all',
  close: 'Close',
  open: 'Open {page}',
  again: '{count} times',
  at: 'Last at {time}',
  announce: 'Notification: {title}. {body}',
  kinds: {
    meterDisconnected: { title: 'Meter disconnected', body: 'Wattlet is not reading your meter. Diagnostics shows why and what to do.' },
    meterReconnected: { title: 'Meter reconnected', body: 'Readings from your meter are arriving again.' },
    walletLocked: { title: 'Wallet locked', body: 'Your wallet locked itself. Unlock it on the Wallet page when you want to sign.' },
    approvalWaiting: { title: 'Approval waiting', body: '{summary}: approve or reject it in the approval window.' },
    dayDiffers: { title: "A day differs from the operator's record", body: "{date}: your meter's record differs from what the operator anchored. Compare them on the Ledger page." },
    offerFilled: { title: 'Offer filled', body: 'A buyer filled your offer.' },
    settlementDue: { title: 'Settlement due', body: "A sale's delivery window has ended: settle it." },
    escrowReclaimable: { title: 'Escrow can be reclaimed', body: 'A purchase was not delivered: reclaim your escrow.' },
    offerSettled: { title: 'Sale settled', body: 'A sale was proven on the ledger and paid out.' },
  },
};
