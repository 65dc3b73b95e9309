import { describe, expect, it } from 'vitest';
import { WattletError, isError } from '../../../main/api/errors.js';
import { ApprovalQueue, type ApprovalOutcome } from '../../../main/wallet/approval-queue.js';
import { ManualClock } from './support/manual-clock.js';
import { ScriptedSurface } from './support/scripted-surface.js';

const FROM = '0x' + '11'.repeat(20);
const draft = (text: string) => ({ kind: 'message' as const, from: FROM, text, hex: '0x00' });

function setup(timeoutMs = 60_000, maxQueued?: number) {
  const clock = new ManualClock();
  const surface = new ScriptedSurface();
  const settled: Array<[string, ApprovalOutcome]> = [];
  const queue = new ApprovalQueue({ surface, clock, timeoutMs, maxQueued, onSettled: (id, o) => settled.push([id, o]) });
  return { clock, surface, queue, settled };
}

const outcome = (p: Promise<void>) => p.then(() => 'approved', (e: unknown) => (isError(e) ? e.code : 'other'));

describe('ApprovalQueue', () => {
  it('shows one prompt at a time, in the order requests arrived', async () => {
    const { surface, queue } = setup();
    const a = outcome(queue.request(draft('a'), 'a'));
    const b = outcome(queue.request(draft('b'), 'b'));
    const c = outcome(queue.request(draft('c'), 'c'));
    expect(surface.openCount).toBe(1);
    expect(queue.pending().map((p) => [p.summary, p.state])).toEqual([['a', 'presented'], ['b', 'queued'], ['c', 'queued']]);
    (await surface.next()).decide('approve');
    (await surface.next()).decide('reject');
    (await surface.next()).decide('approve');
    expect(await Promise.all([a, b, c])).toEqual(['approved', 'APPROVAL_REJECTED', 'approved']);
    expect(surface.shown.map((v) => (v.kind === 'message' ? v.text : ''))).toEqual(['a', 'b', 'c']);
    expect(surface.maxOpen).toBe(1);
  });

  it('cancels an unanswered prompt after the timeout and moves on to the next', async () => {
    const { clock, surface, queue, settled } = setup(30_000);
    const a = outcome(queue.request(draft('a'), 'a'));
    const b = outcome(queue.request(draft('b'), 'b'));
    clock.advance(29_999);
    expect(surface.openCount).toBe(1);
    clock.advance(1);
    expect(await a).toBe('APPROVAL_TIMEOUT');
    const next = await surface.next();
    expect(next.view.kind === 'message' && next.view.text).toBe('b');
    // The timeout counts from when b was shown, not from when it queued.
    expect(next.view.expiresAt).toBe(clock.now() + 30_000);
    next.decide('approve');
    expect(await b).toBe('approved');
    expect(settled.map(([, o]) => o)).toEqual(['timeout', 'approved']);
  });

  it('ignores a decision that arrives after the prompt was cancelled', async () => {
    const { surface, queue } = setup();
    const a = outcome(queue.request(draft('a'), 'a'));
    const prompt = await surface.next();
    queue.cancelAll(new WattletError('WALLET_LOCKED', 'locked'));
    expect(prompt.signal.aborted).toBe(true);
    prompt.decide('approve');
    expect(await a).toBe('WALLET_LOCKED');
  });

  it('refuses to queue beyond its limit', async () => {
    const { queue } = setup(60_000, 2);
    void outcome(queue.request(draft('a'), 'a'));
    void outcome(queue.request(draft('b'), 'b'));
    expect(await outcome(queue.request(draft('c'), 'c'))).toBe('APPROVAL_QUEUE_FULL');
    queue.dispose();
  });

  it('a surface that throws at once cancels that request and still shows the next', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const queue = new ApprovalQueue({
      surface: {
        present: () => {
          calls++;
          if (calls === 1) throw new Error('no window');
          return Promise.resolve('approve' as const);
        },
      },
      clock,
      timeoutMs: 1000,
    });
    const first = outcome(queue.request(draft('a'), 'a'));
    const second = outcome(queue.request(draft('b'), 'b'));
    expect(await Promise.all([first, second])).toEqual(['APPROVAL_CANCELLED', 'approved']);
  });

  it('a surface that fails counts as no approval', async () => {
    const clock = new ManualClock();
    const queue = new ApprovalQueue({ surface: { present: () => Promise.reject(new Error('window closed')) }, clock, timeoutMs: 1000 });
    expect(await outcome(queue.request(draft('a'), 'a'))).toBe('APPROVAL_CANCELLED');
  });

  it('carries the household’s language as it is when each prompt is shown; none when the host has none', async () => {
    const clock = new ManualClock();
    const surface = new ScriptedSurface();
    let language: 'en' | 'zh-CN' = 'en';
    const queue = new ApprovalQueue({ surface, clock, timeoutMs: 60_000, language: () => language });
    const a = outcome(queue.request(draft('a'), 'a'));
    const b = outcome(queue.request(draft('b'), 'b'));
    language = 'zh-CN'; // changed in Settings while b waits behind a
    const first = await surface.next();
    expect(first.view.language).toBe('en');
    first.decide('approve');
    const second = await surface.next();
    expect(second.view.language).toBe('zh-CN');
    second.decide('approve');
    expect(await Promise.all([a, b])).toEqual(['approved', 'approved']);
    const { surface: bare, queue: none } = setup();
    const c = outcome(none.request(draft('c'), 'c'));
    const shown = await bare.next();
    expect(shown.view.language).toBeNull();
    shown.decide('reject');
    await c;
  });
});
