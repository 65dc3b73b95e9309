import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_REGION } from '../../main/ledger/chain/demo-ledger.js';
import { demoAccounts } from '../../main/ledger/chain/demo-accounts.js';
import { dayOf, dayStart, formatDay, INTERVAL_SECONDS, INTERVALS_PER_DAY } from '../../main/ledger/day.js';
import { neighbourMeters } from '../../main/ledger/operator/demo-operator.js';
import { intervalSalt, meterDaySalt } from '../../main/ledger/operator/official-day.js';
import { Attacker, startTarget, stillAnswering, type Target } from './support/attacker.js';

// ledger.evidence, attacked from the main window's position (the per-launch token and the page's
// Origin) on the real built host in demo mode, whose operator anchors one region root a day over
// the household and 7 simulated neighbours. The channel hands the window the raw evidence of the
// household's own meter: it must reveal nothing the household does not already see about its own
// meter — no neighbour's salt (which would let anyone brute-force that neighbour's consumption from
// the public roots), no endpoint path or key — and refuse malformed requests, the host running on.
// The test-only lie (LedgerService's tamperEvidence) must be reachable from nowhere in the app.
const root = join(import.meta.dirname, '..', '..');
const today = dayOf(Date.now() / 1000);
let target: Target;
let attacker: Attacker;
let meterId: string;

beforeAll(async () => {
  target = await startTarget({ args: ['--demo-days', '3'] });
  attacker = await Attacker.connect(target.host);
  // Demo mode's chain starts in the background.
  const deadline = Date.now() + 90_000;
  for (;;) {
    const s = await attacker.result<{ state: string; meterId: string }>('ledger.status');
    if (s.state === 'connected') {
      meterId = s.meterId;
      break;
    }
    if (Date.now() > deadline) throw new Error(`the demo ledger did not start: ${s.state}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}, 150_000);

afterAll(async () => {
  attacker?.close();
  await target?.stop();
});

describe('ledger.evidence from the main window', () => {
  it("answers only the household's own meter, with its own salts and no neighbour's", async () => {
    const dates = [formatDay(today - 1), formatDay(today - 2)];
    // A request naming another meter: the channel has no such field; it still answers only mine.
    const [neighbour] = neighbourMeters({ id: DEMO_REGION, neighbours: 7, neighbourOwner: '' });
    const answer = await attacker.result<{ days: Array<{ meterId: string; date: string; handover: { meterId: string; intervals: Array<{ salt: string }> } | null; regionPath: { meterId: string } | null; evidence: { second?: unknown } ; trust: { hosts: string[] } }> }>(
      'ledger.evidence',
      { dates, meterId: neighbour },
    );
    expect(answer.days.map((d) => d.date)).toEqual(dates);
    const text = JSON.stringify(answer).toLowerCase();
    const secret = demoAccounts()[0]!.privateKey;
    let mineSeen = 0;
    for (const d of answer.days) {
      expect(d.meterId.toLowerCase()).toBe(meterId.toLowerCase());
      expect(d.handover?.meterId.toLowerCase()).toBe(meterId.toLowerCase());
      expect(d.regionPath?.meterId.toLowerCase()).toBe(meterId.toLowerCase());
      const day = dayOf(Date.parse(d.date) / 1000);
      // My own salts are there, every one the operator's for my interval (the household holds them already)…
      mineSeen += d.handover!.intervals.filter((iv, k) => iv.salt.toLowerCase() === intervalSalt(secret, meterId, dayStart(day) + k * INTERVAL_SECONDS).toLowerCase()).length;
      // …no neighbour's: neither its meter-day salt nor any of its 96 interval salts.
      for (const other of neighbourMeters({ id: DEMO_REGION, neighbours: 7, neighbourOwner: '' })) {
        expect(text).not.toContain(meterDaySalt(secret, other, day).slice(2).toLowerCase());
        for (let k = 0; k < INTERVALS_PER_DAY; k++) expect(text).not.toContain(intervalSalt(secret, other, dayStart(day) + k * INTERVAL_SECONDS).slice(2).toLowerCase());
      }
      // Endpoints by host only: no path, no query (where an API key would be).
      for (const h of d.trust.hosts) expect(h).toMatch(/^[\w.-]+(:\d+)?$/);
    }
    expect(mineSeen).toBe(2 * INTERVALS_PER_DAY);
  }, 120_000);

  it('refuses malformed requests with REQUEST_INVALID and keeps answering', async () => {
    const bad: unknown[] = [
      {},
      { dates: [] },
      { dates: Array.from({ length: 32 }, (_, i) => formatDay(today - 1 - i)) },
      { dates: ['2026-02-30x'] },
      { dates: ['not a date'] },
      { dates: [formatDay(today - 1)], interval: 96 },
      { dates: [formatDay(today - 1)], interval: -1 },
      { dates: [formatDay(today - 1)], interval: 1.5 },
      { dates: 'x'.repeat(1_000) },
    ];
    for (const request of bad) {
      const e = await attacker.call('ledger.evidence', request);
      expect(e.ok, JSON.stringify(request).slice(0, 80)).toBe(false);
      if (!e.ok) expect(e.error.code).toBe('REQUEST_INVALID');
    }
    // A well-formed date that is no real day is refused as such, not as an internal error.
    const feb30 = await attacker.call('ledger.evidence', { dates: ['2026-02-30'] });
    expect(feb30.ok).toBe(false);
    if (!feb30.ok) expect(feb30.error.code).toBe('REQUEST_INVALID');
    expect(await stillAnswering(target.host)).toBe(true);
  }, 60_000);
});

describe('the lying main of the tamper e2e', () => {
  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sources(path);
      return /\.(ts|svelte)$/.test(name) ? [path] : [];
    });
  }

  it('is named by no app file but its definition: no channel, setting or composition passes it', () => {
    const naming = [...sources(join(root, 'main')), ...sources(join(root, 'renderer')), ...sources(join(root, 'preload'))]
      .filter((f) => !f.endsWith('.spec.ts') && readFileSync(f, 'utf8').includes('tamperEvidence'))
      .map((f) => relative(root, f));
    expect(naming).toEqual(['main/ledger/ledger-service.ts']);
  });
});
