import { afterEach, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../main/api/contract.js';
import { createDispatcher } from '../../main/api/dispatcher.js';
import { WattletError } from '../../main/api/errors.js';
import { EventBus } from '../../main/api/event-bus.js';
import { rendererApi, until } from '../../test/support/renderer-api.js';
import { EventStore } from './event-store.svelte.js';
import type { Visibility } from './visibility.js';

type Book = ResponseOf<'market.offers'>;
const CHANGE = { offerHash: `0x${'ab'.repeat(32)}`, kind: 'filled' } as const;

/**
 * The market's book through the real dispatcher and event bus: each `market.offers` call waits
 * until the test answers it, so the test decides the order answers arrive in.
 */
function market() {
  const bus = new EventBus();
  const pending: Array<{ answer: (now: number) => void; fail: (e: unknown) => void }> = [];
  const dispatch = createDispatcher({
    'market.offers': () =>
      new Promise<Book>((resolve, reject) => pending.push({ answer: (now) => resolve({ offers: [], now }), fail: reject })),
  });
  return { bus, pending, api: rendererApi({ dispatch, bus }) };
}

/** A window the test shows and hides. */
function windowVisibility(): Visibility & { set(hidden: boolean): void } {
  let hidden = false;
  const listeners = new Set<() => void>();
  return {
    get hidden() {
      return hidden;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(h) {
      hidden = h;
      for (const l of listeners) l();
    },
  };
}

const stops: Array<() => void> = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

describe('EventStore: a value read again on a named event', () => {
  it('loads when started and again after each event, and stops listening when stopped', async () => {
    const m = market();
    const store = new EventStore(m.api, { load: () => m.api.invoke('market.offers', {}), on: ['market.changed'], visibility: windowVisibility() });
    const stop = store.start();
    expect(store.loading).toBe(true);
    await until(() => m.pending.length === 1);
    m.pending[0]!.answer(100);
    await until(() => store.value?.now === 100);
    expect(store.loading).toBe(false);

    m.bus.emit('market.changed', CHANGE);
    await until(() => m.pending.length === 2);
    m.pending[1]!.answer(200);
    await until(() => store.value?.now === 200);

    stop();
    m.bus.emit('market.changed', CHANGE);
    await new Promise((r) => setTimeout(r, 50));
    expect(m.pending.length).toBe(2);
    expect(m.api.calls).toEqual(['market.offers', 'market.offers']);
  });

  it('drops an answer that arrives after a newer one', async () => {
    const m = market();
    const store = new EventStore(m.api, { load: () => m.api.invoke('market.offers', {}), on: ['market.changed'], visibility: windowVisibility() });
    stops.push(store.start());
    await until(() => m.pending.length === 1);
    m.bus.emit('market.changed', CHANGE);
    await until(() => m.pending.length === 2);
    m.pending[1]!.answer(2);
    await until(() => store.value?.now === 2);
    m.pending[0]!.answer(1); // the slow first answer, now stale
    await new Promise((r) => setTimeout(r, 50));
    expect(store.value?.now).toBe(2);
  });

  it('keeps a failed load as its error, with the code, until a later load succeeds', async () => {
    const m = market();
    const store = new EventStore(m.api, { load: () => m.api.invoke('market.offers', {}), on: ['market.changed'], visibility: windowVisibility() });
    stops.push(store.start());
    await until(() => m.pending.length === 1);
    m.pending[0]!.fail(new WattletError('MARKET_RPC_FAILED', 'the endpoint is down', { url: 'http://127.0.0.1:9' }));
    await until(() => store.error !== null);
    expect(store.error).toMatchObject({ code: 'MARKET_RPC_FAILED', facts: { url: 'http://127.0.0.1:9' } });
    expect(store.value).toBeUndefined();
    void store.reload();
    await until(() => m.pending.length === 2);
    m.pending[1]!.answer(5);
    await until(() => store.value?.now === 5);
    expect(store.error).toBeNull();
  });

  it('while the window is hidden, an event only marks the value stale; it is read when the window shows again', async () => {
    const m = market();
    const visibility = windowVisibility();
    const store = new EventStore(m.api, { load: () => m.api.invoke('market.offers', {}), on: ['market.changed'], visibility });
    stops.push(store.start());
    await until(() => m.pending.length === 1);
    m.pending[0]!.answer(1);
    visibility.set(true);
    m.bus.emit('market.changed', CHANGE);
    m.bus.emit('market.changed', CHANGE);
    await new Promise((r) => setTimeout(r, 50));
    expect(m.pending.length).toBe(1);
    visibility.set(false);
    await until(() => m.pending.length === 2);
    m.pending[1]!.answer(2);
    await until(() => store.value?.now === 2);
    visibility.set(true);
    visibility.set(false); // shown again with nothing new: no read
    await new Promise((r) => setTimeout(r, 50));
    expect(m.pending.length).toBe(2);
  });

  it('turns a burst of events into one read when asked to settle', async () => {
    const m = market();
    const store = new EventStore(m.api, { load: () => m.api.invoke('market.offers', {}), on: ['market.changed'], settleMs: 80, visibility: windowVisibility() });
    stops.push(store.start());
    await until(() => m.pending.length === 1);
    m.pending[0]!.answer(1);
    for (let i = 0; i < 5; i++) m.bus.emit('market.changed', CHANGE);
    await new Promise((r) => setTimeout(r, 40));
    expect(m.pending.length).toBe(1);
    await until(() => m.pending.length === 2);
    await new Promise((r) => setTimeout(r, 120));
    expect(m.pending.length).toBe(2);
  });
});
