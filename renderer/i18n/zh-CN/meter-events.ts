import type { meterEvents as en } from '../en/meter-events.js';

// 简体中文：电表事件（历史页）
export const meterEvents: typeof en = {
  heading: '换表与跳过的读数',
  none: '此时间范围内没有：每个读数都接续上一个。',
  swap: {
    title: '电表已更换或清零（{at}）',
    body: '计度器重新开始计数：之前最后一个读数为 {beforeValue} kWh（{beforeAt}），之后第一个读数为 {value} kWh（{at}）。{from} 至 {to} 之间的用电量未知，显示为空缺；历史记录从新的计度器继续。',
  },
  jump: {
    title: '计度器出现不可能的跳变（{at}）',
    body: '计度器从 {beforeValue} kWh（{beforeAt}）跳到 {value} kWh（{at}），超过任何家庭在这段时间内可能的用电量。{from} 至 {to} 之间的用电量未知，显示为空缺。',
  },
  glitch: {
    title: '跳过了一个读数（{at}）',
    body: '电表在 {beforeValue} kWh 与一个接续它的读数之间报告了 {value} kWh：这是一次读数故障。该读数已被忽略，没有丢失任何电量。',
  },
};
