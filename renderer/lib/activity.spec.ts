import { describe, expect, it } from 'vitest';
import { WattletError } from '../../main/api/errors.js';
import { Activity } from './activity.svelte.js';

/** A promise the test settles by hand, to look at the activity while work is in flight. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((ok, no) => ((resolve = ok), (reject = no)));
  return { promise, resolve, reject };
}

describe('Activity: the one busy/error/notice of every page', () => {
  it('is busy with the named action while it runs, and clears the last outcome when it starts', async () => {
    const a = new Activity<'save' | 'delete'>();
    a.error = new WattletError('WALLET_LOCKED', 'locked');
    a.say('market.sell.created');
    const gate = deferred();
    const running = a.run('save', () => gate.promise);
    expect(a.busy).toBe('save');
    expect(a.working).toBe(true);
    expect(a.error).toBeNull();
    expect(a.notice).toBeNull();
    gate.resolve();
    expect(await running).toBe(true);
    expect(a.busy).toBeNull();
    expect(a.working).toBe(false);
  });

  it('runs one action at a time: a second is refused and never starts', async () => {
    const a = new Activity();
    const gate = deferred();
    const first = a.run('fill:0xaa', () => gate.promise);
    let secondRan = false;
    expect(await a.run('fill:0xbb', async () => void (secondRan = true))).toBe(false);
    expect(secondRan).toBe(false);
    expect(a.busy).toBe('fill:0xaa');
    gate.resolve();
    await first;
    expect(await a.run('fill:0xbb', async () => void (secondRan = true))).toBe(true);
    expect(secondRan).toBe(true);
  });

  it('keeps what an action threw as the error to show, with its code, and says it failed', async () => {
    const a = new Activity();
    const refused = new WattletError('WALLET_BACKUP_MISMATCH', 'words do not match', { triesLeft: 2 });
    expect(await a.run('confirm', () => Promise.reject(refused))).toBe(false);
    expect(a.error).toBe(refused);
    expect(a.busy).toBeNull();
  });

  it('keeps the notice an action gives, with its facts', async () => {
    const a = new Activity();
    await a.run('fill', async () => a.say('market.buy.bought', { wh: 500 }));
    expect(a.notice).toEqual({ key: 'market.buy.bought', facts: { wh: 500 } });
  });

  it('loads beside an action: no busy marker, `loading` until the last load ends, a success clears the error', async () => {
    const a = new Activity();
    const action = deferred();
    const running = a.run('settle', () => action.promise);
    const one = deferred();
    const two = deferred();
    const loadOne = a.load(() => one.promise);
    const loadTwo = a.load(() => two.promise);
    expect(a.busy).toBe('settle');
    expect(a.loading).toBe(true);
    one.reject(new WattletError('MARKET_RPC_FAILED', 'unreachable'));
    expect(await loadOne).toBe(false);
    expect(a.loading).toBe(true); // the second load still runs
    expect((a.error as WattletError).code).toBe('MARKET_RPC_FAILED');
    two.resolve();
    expect(await loadTwo).toBe(true);
    expect(a.loading).toBe(false);
    expect(a.error).toBeNull();
    action.resolve();
    expect(await running).toBe(true);
  });
});
