import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/api/dispatcher.js';
import { WattletError } from '../../../main/api/errors.js';
import { defaultSettings } from '../../../main/settings/settings-store.js';

const ctx = { host: 'cli' } as const;

describe('dispatcher', () => {
  it('validates the request before the handler sees it', async () => {
    let called = false;
    const dispatch = createDispatcher({
      'settings.update': () => {
        called = true;
        return defaultSettings;
      },
    });
    const answer = await dispatch('settings.update', { autoLockSeconds: 5 }, ctx);
    expect(called).toBe(false);
    expect(answer).toMatchObject({ ok: false, error: { code: 'REQUEST_INVALID', facts: { channel: 'settings.update', path: 'autoLockSeconds' } } });
  });

  it('refuses unknown keys where the schema is strict', async () => {
    const dispatch = createDispatcher({ 'settings.update': () => defaultSettings });
    const answer = await dispatch('settings.update', { secret: 'x' }, ctx);
    expect(answer.ok).toBe(false);
  });

  it('answers CHANNEL_UNKNOWN for a name outside the contract, even a prototype key', async () => {
    const dispatch = createDispatcher({});
    for (const name of ['nope', '__proto__', 'constructor', 'toString']) {
      const answer = await dispatch(name, {}, ctx);
      expect(answer).toMatchObject({ ok: false, error: { code: 'CHANNEL_UNKNOWN' } });
    }
  });

  it('answers NOT_AVAILABLE for a contract channel with no handler in this mode', async () => {
    const answer = await createDispatcher({})('app.info', {}, ctx);
    expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } });
  });

  it('passes typed errors through with their facts', async () => {
    const dispatch = createDispatcher({
      'settings.get': () => {
        throw new WattletError('SETTINGS_INVALID', 'bad', { problem: 'x' });
      },
    });
    expect(await dispatch('settings.get', {}, ctx)).toEqual({
      ok: false,
      error: { code: 'SETTINGS_INVALID', message: 'bad', facts: { problem: 'x' } },
    });
  });

  it('turns a bug into INTERNAL without leaking its message, and reports it', async () => {
    const reported: unknown[] = [];
    const dispatch = createDispatcher(
      {
        'settings.get': () => {
          throw new Error('secret detail /home/alice');
        },
      },
      { onInternalError: (_c, e) => reported.push(e) },
    );
    const answer = await dispatch('settings.get', {}, ctx);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(answer)).not.toContain('alice');
    expect(reported).toHaveLength(1);
  });

  it('refuses a response outside its schema', async () => {
    const dispatch = createDispatcher({ 'settings.get': () => ({ language: 'fr' }) as never });
    expect(await dispatch('settings.get', {}, ctx)).toMatchObject({ ok: false, error: { code: 'RESPONSE_INVALID' } });
  });
});
