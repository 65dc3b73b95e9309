import { afterEach, describe, expect, it } from 'vitest';
import type { PayloadOf } from '../../../main/api/contract.js';
import { EventBus } from '../../../main/api/event-bus.js';
import type { SessionStatusPayload } from '../../../main/api/session.js';
import { createNotifications, type Notifications, type OsNotifier } from '../../../main/notifications/index.js';

function status(state: SessionStatusPayload['state'], lastErrorCode: string | null = null): SessionStatusPayload {
  return {
    state,
    protocol: 'dsmr',
    line: '115200 8N1',
    meterId: 'E0025000123456789',
    adapter: 'usb:ftdi',
    counters: { framesOk: 1, readings: 1, checksumErrors: 0, framingErrors: 0, timeouts: 0, exceptions: 0, reconnects: 0, recentReconnects: [], lastFrameAt: null, lastErrorCode },
    link: null,
    lastReadingAt: null,
    retryAt: null,
  };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

let room: Notifications | null = null;
afterEach(async () => {
  await room?.dispose();
  room = null;
});

function setup(options: { graceMs?: number; language?: 'en' | 'zh-CN' } = {}) {
  const bus = new EventBus();
  const changed: Array<PayloadOf<'notifications.changed'>> = [];
  const activated: Array<PayloadOf<'notifications.activated'>> = [];
  bus.on('notifications.changed', (c) => changed.push(c));
  bus.on('notifications.activated', (a) => activated.push(a));
  const shown: Array<{ kind: string; title: string; body: string; activate: () => void }> = [];
  const os: OsNotifier = { show: (n, text, activate) => shown.push({ kind: n.kind, ...text, activate }) };
  room = createNotifications({ bus, os, language: () => options.language ?? 'en', meterGraceMs: options.graceMs ?? 0 });
  const kinds = () => room!.service.list().notifications.map((n) => n.kind);
  return { bus, changed, activated, shown, kinds, service: room.service };
}

describe('createNotifications: the meter', () => {
  it('a session that stops reading and waits to reconnect is told once; reading again withdraws it and says so', async () => {
    const { bus, kinds, service } = setup();
    bus.emit('meter.state', status('connecting'));
    bus.emit('meter.state', status('reading'));
    expect(kinds()).toEqual([]); // the first connection is no news
    bus.emit('meter.state', status('waiting', 'METER_DEVICE_GONE'));
    bus.emit('meter.state', status('connecting'));
    bus.emit('meter.state', status('waiting', 'METER_DEVICE_GONE'));
    expect(kinds()).toEqual(['meterDisconnected']);
    expect(service.find('meterDisconnected')).toMatchObject({
      count: 1,
      severity: 'warning',
      params: { meterId: 'E0025000123456789', reason: 'METER_DEVICE_GONE' },
      link: { page: 'diagnostics', anchor: null },
    });
    bus.emit('meter.state', status('reading'));
    expect(kinds()).toEqual(['meterReconnected']);
    // Dropping again replaces the good news with the bad.
    bus.emit('meter.state', status('waiting'));
    expect(kinds()).toEqual(['meterDisconnected']);
  });

  it('a meter back within the grace is no news; one still away after it is', async () => {
    const { bus, kinds } = setup({ graceMs: 80 });
    bus.emit('meter.state', status('reading'));
    bus.emit('meter.state', status('waiting'));
    bus.emit('meter.state', status('reading'));
    await wait(150);
    expect(kinds()).toEqual([]);
    bus.emit('meter.state', status('waiting'));
    await wait(20);
    expect(kinds()).toEqual([]);
    await wait(150);
    expect(kinds()).toEqual(['meterDisconnected']);
  });

  it('a meter never reached since the start is told as disconnected', () => {
    const { bus, kinds } = setup();
    bus.emit('meter.state', status('connecting'));
    bus.emit('meter.state', status('waiting', 'METER_DEVICE_NOT_FOUND'));
    expect(kinds()).toEqual(['meterDisconnected']);
  });
});

describe('createNotifications: the wallet and the ledger', () => {
  it('an auto-lock is told and withdrawn on unlock; a lock the person asked for is not told', () => {
    const { bus, kinds } = setup();
    bus.emit('wallet.locked', { reason: 'explicit' });
    expect(kinds()).toEqual([]);
    bus.emit('wallet.locked', { reason: 'timeout' });
    expect(kinds()).toEqual(['walletLocked']);
    bus.emit('wallet.unlocked', { autoLockAt: 1 });
    expect(kinds()).toEqual([]);
  });

  it('a waiting approval is told per request and withdrawn when it settles, whatever the outcome', () => {
    const { bus, service } = setup();
    const pending = (id: string) => ({ id, kind: 'typedData' as const, from: '0x' + '1'.repeat(40), summary: `EnergyOffer ${id}`, state: 'presented' as const, createdAt: 1 });
    bus.emit('wallet.approvalPending', pending('a'));
    bus.emit('wallet.approvalPending', pending('b'));
    expect(service.list().notifications.map((n) => [n.kind, n.key])).toEqual([['approvalWaiting', 'b'], ['approvalWaiting', 'a']]);
    expect(service.find('approvalWaiting', 'a')).toMatchObject({ params: { summary: 'EnergyOffer a', request: 'typedData' }, link: { page: 'wallet', anchor: 'pending-approvals' } });
    bus.emit('wallet.approvalSettled', { id: 'a', outcome: 'rejected' });
    bus.emit('wallet.approvalSettled', { id: 'b', outcome: 'approved' });
    expect(service.list().notifications).toEqual([]);
  });

  it("a day that differs in a range verification is told once per day, linking to that day's verification", () => {
    const { bus, service } = setup();
    const progress = (date: string, status: 'verified' | 'differs') => ({ jobId: 'j', done: 1, total: 3, date, status });
    bus.emit('ledger.verifyProgress', progress('2025-03-01', 'verified'));
    bus.emit('ledger.verifyProgress', progress('2025-03-02', 'differs'));
    bus.emit('ledger.verifyProgress', progress('2025-03-02', 'differs'));
    expect(service.list().notifications).toEqual([
      expect.objectContaining({ kind: 'dayDiffers', key: '2025-03-02', count: 2, params: { date: '2025-03-02' }, link: { page: 'ledger', anchor: '2025-03-02' } }),
    ]);
  });
});

describe('createNotifications: the bus and the OS', () => {
  it('every change reaches the bus; each new arrival (not a repeat) goes to the OS in the person’s language, and a click says which page to show', () => {
    const { bus, changed, shown, activated } = setup({ language: 'zh-CN' });
    bus.emit('wallet.locked', { reason: 'timeout' });
    bus.emit('wallet.locked', { reason: 'timeout' });
    bus.emit('wallet.unlocked', { autoLockAt: 1 });
    expect(changed.map((c) => [c.notifications.length, c.added?.kind ?? null, c.added?.count ?? null])).toEqual([
      [1, 'walletLocked', 1],
      [1, 'walletLocked', 2],
      [0, null, null],
    ]);
    expect(shown.map((s) => [s.kind, s.title])).toEqual([['walletLocked', '钱包已锁定']]);
    shown[0]!.activate();
    expect(activated).toEqual([{ id: changed[0]!.added!.id, link: { page: 'wallet', anchor: null } }]);
  });

  it('the channels answer inside their schemas through the real dispatcher', async () => {
    const { createDispatcher } = await import('../../../main/api/dispatcher.js');
    const { bus, service } = setup();
    const dispatch = createDispatcher(room!.handlers, { onInternalError: (c, e) => { throw new Error(`${c}: ${String(e)}`); } });
    const ctx = { host: 'browser' as const };
    bus.emit('wallet.locked', { reason: 'timeout' });
    bus.emit('ledger.verifyProgress', { jobId: 'j', done: 1, total: 1, date: '2025-03-02', status: 'differs' });
    const list = await dispatch('notifications.list', {}, ctx);
    expect(list).toMatchObject({ ok: true, result: { notifications: [{ kind: 'dayDiffers' }, { kind: 'walletLocked' }] } });
    const id = service.find('walletLocked')!.id;
    expect(await dispatch('notifications.dismiss', { id }, ctx)).toEqual({ ok: true, result: { dismissed: true } });
    expect(await dispatch('notifications.dismiss', { id }, ctx)).toEqual({ ok: true, result: { dismissed: false } });
    expect(await dispatch('notifications.dismiss', { id: '' }, ctx)).toMatchObject({ ok: false, error: { code: 'REQUEST_INVALID' } });
    expect(await dispatch('notifications.dismissAll', {}, ctx)).toEqual({ ok: true, result: { dismissed: 1 } });
  });
});
