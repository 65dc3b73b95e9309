import { describe, expect, it } from 'vitest';
import { NotificationService } from '../../../main/notifications/index.js';

const disconnected = { kind: 'meterDisconnected', severity: 'warning', params: { meterId: 'E1' }, link: { page: 'diagnostics' } } as const;

describe('NotificationService', () => {
  it('posts with an id, times, count 1 and a null anchor when none is given; newest first', () => {
    let t = 1000;
    const s = new NotificationService({ now: () => t });
    const a = s.notify(disconnected);
    t = 2000;
    const b = s.notify({ kind: 'dayDiffers', key: '2025-03-02', severity: 'warning', params: { date: '2025-03-02' }, link: { page: 'ledger', anchor: '2025-03-02' } });
    expect(a).toEqual({ id: a.id, kind: 'meterDisconnected', key: '', severity: 'warning', params: { meterId: 'E1' }, link: { page: 'diagnostics', anchor: null }, createdAt: 1000, updatedAt: 1000, count: 1 });
    expect(s.list().notifications.map((n) => n.id)).toEqual([b.id, a.id]);
  });

  it('the same kind and key again keeps its id, moves to the top, counts and takes the new params', () => {
    let t = 1;
    const s = new NotificationService({ now: () => t });
    const first = s.notify({ ...disconnected, params: { meterId: 'E1', reason: 'METER_DEVICE_GONE' } });
    s.notify({ kind: 'walletLocked', severity: 'info', params: { reason: 'timeout' }, link: { page: 'wallet' } });
    t = 5;
    const again = s.notify(disconnected);
    expect(again).toMatchObject({ id: first.id, count: 2, createdAt: 1, updatedAt: 5, params: { meterId: 'E1' } });
    expect(s.list().notifications.map((n) => n.kind)).toEqual(['meterDisconnected', 'walletLocked']);
    // Another key of the same kind is another notification.
    s.notify({ kind: 'dayDiffers', key: 'a', severity: 'warning', params: {}, link: { page: 'ledger' } });
    s.notify({ kind: 'dayDiffers', key: 'b', severity: 'warning', params: {}, link: { page: 'ledger' } });
    expect(s.list().notifications).toHaveLength(4);
  });

  it('withdraw takes a kind+key off, dismiss an id, dismissAll everything; each says what it did', () => {
    const s = new NotificationService();
    const a = s.notify({ kind: 'approvalWaiting', key: 'r1', severity: 'warning', params: {}, link: { page: 'wallet' } });
    s.notify({ kind: 'approvalWaiting', key: 'r2', severity: 'warning', params: {}, link: { page: 'wallet' } });
    s.notify(disconnected);
    expect(s.withdraw('approvalWaiting', 'r2')).toBe(true);
    expect(s.withdraw('approvalWaiting', 'r2')).toBe(false);
    expect(s.dismiss(a.id)).toBe(true);
    expect(s.dismiss(a.id)).toBe(false);
    expect(s.list().notifications.map((n) => n.kind)).toEqual(['meterDisconnected']);
    expect(s.dismissAll()).toBe(1);
    expect(s.dismissAll()).toBe(0);
    expect(s.list().notifications).toEqual([]);
  });

  it('tells every change with the list and what arrived (null when something left)', () => {
    const s = new NotificationService();
    const changes: Array<{ ids: string[]; added: string | null }> = [];
    s.onChange((c) => changes.push({ ids: c.notifications.map((n) => n.id), added: c.added?.id ?? null }));
    const a = s.notify(disconnected);
    s.notify(disconnected);
    s.withdraw('meterDisconnected');
    s.withdraw('meterDisconnected'); // nothing left: no change told
    expect(changes).toEqual([
      { ids: [a.id], added: a.id },
      { ids: [a.id], added: a.id },
      { ids: [], added: null },
    ]);
  });

  it('keeps at most its capacity, dropping the oldest', () => {
    const s = new NotificationService({ capacity: 3 });
    for (const key of ['1', '2', '3', '4']) s.notify({ kind: 'dayDiffers', key, severity: 'warning', params: {}, link: { page: 'ledger' } });
    expect(s.list().notifications.map((n) => n.key)).toEqual(['4', '3', '2']);
  });

  it('refuses a notification outside the contract (an unknown kind or page) where it is made', () => {
    const s = new NotificationService();
    expect(() => s.notify({ ...disconnected, kind: 'nonsense' as never })).toThrow();
    expect(() => s.notify({ ...disconnected, link: { page: 'elsewhere' as never } })).toThrow();
    expect(s.list().notifications).toEqual([]);
  });
});
