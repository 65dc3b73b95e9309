import type { notifications as en } from '../en/notifications.js';

// 简体中文：通知中心
export const notifications: typeof en = {
  bell: '通知',
  bellCount: '通知：{count} 条',
  panel: '通知',
  empty: '暂无新通知。电表断开、钱包锁定、有签名等待批准或某日记录不一致时，Wattlet 会在这里告诉您。',
  dismiss: '忽略',
  dismissLabel: '忽略：{title}',
  dismissAll: '全部忽略',
  close: '关闭',
  open: '打开“{page}”',
  again: '{count} 次',
  at: '最近一次：{time}',
  announce: '通知：{title}。{body}',
  kinds: {
    meterDisconnected: { title: '电表已断开', body: 'Wattlet 没有在读取您的电表。“诊断”页会说明原因及处理方法。' },
    meterReconnected: { title: '电表已重新连接', body: '电表读数已恢复。' },
    walletLocked: { title: '钱包已锁定', body: '钱包已自动锁定。需要签名时，请在“钱包”页解锁。' },
    approvalWaiting: { title: '有请求等待批准', body: '{summary}：请在批准窗口中批准或拒绝。' },
    dayDiffers: { title: '某日记录与运营方不一致', body: '{date}：您的电表记录与运营方锚定的记录不一致。请在“账本”页比对。' },
    offerFilled: { title: '报价已成交', body: '有买家接受了您的报价。' },
    settlementDue: { title: '待结算', body: '一笔出售的交付时段已结束，请进行结算。' },
    escrowReclaimable: { title: '可取回托管资金', body: '一笔购买未交付，请取回托管资金。' },
    offerSettled: { title: '出售已结算', body: '一笔出售已在账本上证明并付款。' },
  },
};
