import type { Settings } from '../api/app.js';

type Language = Settings['language'];
import type { Notification, NotificationKind } from '../api/notifications.js';

interface KindText {
  readonly title: string;
  readonly body: string;
}

/**
 * The operating system's notification is drawn outside the window, so its words are made here,
 * in the person's language: the window's own tables (renderer/i18n/…/notifications.ts) say the
 * same thing with links and buttons, and cannot be imported into the main process (the renderer
 * is a layer above). Every kind has an entry in both languages (the type checks it).
 */
const text: Record<Language, Record<NotificationKind, KindText>> = {
  en: {
    meterDisconnected: { title: 'Meter disconnected', body: 'Wattlet is not reading your meter. Open Diagnostics to see why.' },
    meterReconnected: { title: 'Meter reconnected', body: 'Readings from your meter are arriving again.' },
    walletLocked: { title: 'Wallet locked', body: 'Your wallet locked itself. Unlock it when you want to sign.' },
    approvalWaiting: { title: 'Approval waiting', body: '{summary}: approve or reject it in the approval window.' },
    dayDiffers: { title: "A day differs from the operator's record", body: "{date}: your meter's record differs from what the operator anchored. Open Ledger to compare." },
    offerFilled: { title: 'Offer filled', body: 'A buyer filled your offer. Open Sell to see it.' },
    settlementDue: { title: 'Settlement due', body: "A sale's delivery window has ended. Open Sell to settle it." },
    escrowReclaimable: { title: 'Escrow can be reclaimed', body: 'A purchase was not delivered. Open Buy to reclaim your escrow.' },
    offerSettled: { title: 'Sale settled', body: 'A sale was proven on the ledger and paid out. Open Sell to see it.' },
  },
  'zh-CN': {
    meterDisconnected: { title: '电表已断开', body: 'Wattlet 没有在读取您的电表。打开“诊断”查看原因。' },
    meterReconnected: { title: '电表已重新连接', body: '电表读数已恢复。' },
    walletLocked: { title: '钱包已锁定', body: '钱包已自动锁定。需要签名时请解锁。' },
    approvalWaiting: { title: '有请求等待批准', body: '{summary}：请在批准窗口中批准或拒绝。' },
    dayDiffers: { title: '某日记录与运营方不一致', body: '{date}：您的电表记录与运营方锚定的记录不一致。打开“账本”进行比对。' },
    offerFilled: { title: '报价已成交', body: '有买家接受了您的报价。打开“出售”查看。' },
    settlementDue: { title: '待结算', body: '一笔出售的交付时段已结束。打开“出售”进行结算。' },
    escrowReclaimable: { title: '可取回托管资金', body: '一笔购买未交付。打开“购买”取回托管资金。' },
    offerSettled: { title: '出售已结算', body: '一笔出售已在账本上证明并付款。打开“出售”查看。' },
  },
};

/** Title and body of an OS notification, with the notification's parameters filled in. */
export function osNotificationText(language: Language, n: Pick<Notification, 'kind' | 'params'>): KindText {
  const t = text[language][n.kind];
  const fill = (s: string) =>
    s.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const v = n.params[name];
      return v === undefined || v === null ? whole : String(v);
    });
  return { title: fill(t.title), body: fill(t.body) };
}
