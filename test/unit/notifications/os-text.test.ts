import { describe, expect, it } from 'vitest';
import { notificationKinds } from '../../../main/api/notifications.js';
import { osNotificationText } from '../../../main/notifications/index.js';

describe('osNotificationText', () => {
  it('says every kind in both languages, with its parameters filled in', () => {
    for (const kind of notificationKinds) {
      for (const language of ['en', 'zh-CN'] as const) {
        const t = osNotificationText(language, { kind, params: { date: '2025-03-02', summary: 'EnergyOffer on chain 31337' } });
        expect(t.title.length, `${language} ${kind}`).toBeGreaterThan(0);
        expect(t.body, `${language} ${kind}`).not.toMatch(/\{(date|summary)\}/);
      }
    }
    expect(osNotificationText('zh-CN', { kind: 'dayDiffers', params: { date: '2025-03-02' } }).body).toContain('2025-03-02：');
    expect(osNotificationText('en', { kind: 'approvalWaiting', params: { summary: 'EnergyOffer on chain 31337' } }).body).toBe(
      'EnergyOffer on chain 31337: approve or reject it in the approval window.',
    );
  });
});
