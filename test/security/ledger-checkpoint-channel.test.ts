import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attacker, startTarget, stillAnswering, type Target } from './support/attacker.js';

// The checkpoint the household pins is what every later verdict rests on, and its `rpc` kind
// makes the host fetch an address the caller names. Tried from the main window's position (its
// token, the built host in demo mode): no scheme but http(s) is fetched, no text that is not a
// checkpoint is pinned, a flood of bad ones leaves nothing pinned and the host answering; the
// one-interval disclosure takes only a real day and quarter hour.
let target: Target;
let attacker: Attacker;

beforeAll(async () => {
  target = await startTarget({ args: ['--demo-days', '1'] });
  attacker = await Attacker.connect(target.host);
}, 120_000);

afterAll(async () => {
  attacker?.close();
  await target?.stop();
});

const nothingPinned = async () => expect((await attacker.result<{ checkpoint: unknown }>('ledger.checkpoint')).checkpoint).toBeNull();

describe('ledger.pinCheckpoint from the main window', () => {
  it('fetches no address but http(s): other schemes and unreadable addresses are REQUEST_INVALID', async () => {
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'gopher://127.0.0.1:25/x', 'ws://127.0.0.1:8545', 'http://[', 'ftp://example.org/', 'data:text/plain,0x']) {
      const e = await attacker.call('ledger.pinCheckpoint', { kind: 'rpc', url });
      expect(e.ok, url).toBe(false);
      if (!e.ok) expect(e.error.code, url).toBe('REQUEST_INVALID');
    }
    await nothingPinned();
  });

  it('pins no text that is not a checkpoint, and says so with a typed code', async () => {
    const bad = ['block', 'block 12 0x1234', `block 1 0x${'zz'.repeat(32)}`, '\u0000'.repeat(40), '{"format":"wattlet.checkpoint/1"}', 'x'.repeat(500)];
    for (const text of bad) {
      const e = await attacker.call('ledger.pinCheckpoint', { kind: 'bill', text, label: 'attack' });
      expect(e.ok, text.slice(0, 20)).toBe(false);
      if (!e.ok) expect(['LEDGER_CHECKPOINT_INVALID', 'REQUEST_INVALID'], text.slice(0, 20)).toContain(e.error.code);
    }
    const tooLong = await attacker.call('ledger.pinCheckpoint', { kind: 'file', text: 'x'.repeat(20_001) });
    expect(tooLong.ok ? null : tooLong.error.code).toBe('REQUEST_INVALID');
    await nothingPinned();
  });

  it('a thousand bad pins in a row leave nothing pinned and the host answering', async () => {
    const answers = await Promise.all(Array.from({ length: 1000 }, (_, i) => attacker.call('ledger.pinCheckpoint', { kind: 'bill', text: `block ${i} 0x${'ab'.repeat(31)}` })));
    expect(answers.every((e) => !e.ok)).toBe(true);
    await nothingPinned();
    expect(await stillAnswering(target.host)).toBe(true);
  }, 60_000);
});

describe('ledger.intervalProof from the main window', () => {
  it('takes only a real date and a quarter hour of the day (0–95)', async () => {
    for (const request of [{ date: '2026-02-30', index: 0 }, { date: 'today', index: 0 }, { date: '2026-01-01', index: 96 }, { date: '2026-01-01', index: -1 }, { date: '2026-01-01', index: 1.5 }, { date: '2026-01-01' }, 'x']) {
      const e = await attacker.call('ledger.intervalProof', request);
      expect(e.ok, JSON.stringify(request)).toBe(false);
      if (!e.ok) expect(e.error.code, JSON.stringify(request)).toBe('REQUEST_INVALID');
    }
    expect(await stillAnswering(target.host)).toBe(true);
  });
});
