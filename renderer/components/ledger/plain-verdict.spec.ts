import { describe, expect, it } from 'vitest';
import type { DayReportDto, HandedEvidence } from '../../../main/api/ledger.js';
import { difference, plainSentence, type PlainFormat } from './plain-verdict.js';

// The one sentence a day leads with, picked from the window's report and the evidence it checked.
const day0 = Date.UTC(2026, 11, 1) / 1000;
const fmt: PlainFormat = {
  kwh: (wh) => (Number(wh) / 1000).toFixed(2),
  date: (d) => `date(${d})`,
  time: (s) => new Date(s * 1000).toISOString().slice(11, 16),
  step: (id) => `step(${id})`,
  reason: (code) => `reason(${code})`,
};

type Status = 'pass' | 'fail' | 'skipped';
function report(steps: Partial<Record<string, [Status, string | null]>>, interval: number | null = null): DayReportDto {
  const ids = ['readings', 'leaves', 'region', 'anchor', 'header', 'finality'] as const;
  return {
    meterId: '0x' + '11'.repeat(32),
    day: day0 / 86_400,
    date: '2026-12-01',
    contract: '0x' + '22'.repeat(20),
    chainId: 31337,
    block: { number: 9, hash: '0x' + '33'.repeat(32) },
    interval,
    design: 'region',
    region: null,
    ok: Object.values(steps).every((s) => s?.[0] === 'pass'),
    steps: ids.map((id) => ({ id, status: steps[id]?.[0] ?? 'pass', code: steps[id]?.[1] ?? null, message: '', comparisons: [] })),
  };
}

function evidence(official: Array<[number, number]>, local: Array<[number, number]> | null): HandedEvidence {
  const iv = (list: Array<[number, number]>) => list.map(([imp, exp], k) => ({ start: day0 + k * 900, seconds: 900, importWh: String(imp), exportWh: String(exp) }));
  return {
    handover: { intervals: iv(official).map((x) => ({ ...x, salt: '0x' + '00'.repeat(32) })) },
    local: local ? iv(local) : null,
    resolutionWh: '1',
  } as unknown as HandedEvidence;
}

describe('plainSentence', () => {
  const official: Array<[number, number]> = Array.from({ length: 96 }, () => [150, 0]);

  it('a day that matches: my meter’s kWh on the date', () => {
    expect(plainSentence(report({}), evidence(official, official), fmt, null)).toEqual({
      key: 'ledger.plain.match',
      facts: { date: 'date(2026-12-01)', from: '', to: '', kwh: '14.40' },
      tone: 'ok',
    });
  });

  it('export too: both amounts', () => {
    const both = official.map(([i], k): [number, number] => [i, k === 50 ? 30 : 0]);
    expect(plainSentence(report({}), evidence(both, both), fmt, null)).toMatchObject({ key: 'ledger.plain.matchBoth', facts: { kwh: '14.40', out: '0.03' } });
  });

  it('a day that differs: by how much and between when (the span of the intervals that differ)', () => {
    const mine = official.map(([i, e], k): [number, number] => [k === 72 ? i - 200 : k === 75 ? i + 210 : i, e]);
    expect(plainSentence(report({ readings: ['fail', 'PROOF_READINGS_DIFFER'] }), evidence(official, mine), fmt, null)).toEqual({
      key: 'ledger.plain.differs',
      facts: { date: 'date(2026-12-01)', kwh: '0.41', from: '18:00', to: '19:00' },
      tone: 'differs',
    });
  });

  it('not anchored yet: never a failure, with the usual time when known', () => {
    const absent = report({ anchor: ['fail', 'LEDGER_NO_ANCHOR'], leaves: ['skipped', 'LEDGER_NO_ANCHOR'] });
    expect(plainSentence(absent, null, fmt, '01:30')).toEqual({ key: 'ledger.plain.notAnchoredUsually', facts: { date: 'date(2026-12-01)', time: '01:30' }, tone: 'wait' });
    expect(plainSentence(absent, null, fmt, null)).toMatchObject({ key: 'ledger.plain.notAnchored', tone: 'wait' });
  });

  it('a link of the chain that fails is named in words; not final yet is a wait', () => {
    expect(plainSentence(report({ header: ['fail', 'PROOF_HEADER_HASH'] }), evidence(official, official), fmt, null)).toEqual({
      key: 'ledger.plain.notProven',
      facts: { date: 'date(2026-12-01)', step: 'step(header)' },
      tone: 'bad',
    });
    expect(plainSentence(report({ finality: ['fail', 'PROOF_BLOCK_TOO_SHALLOW'] }), null, fmt, null)).toMatchObject({ key: 'ledger.plain.notFinal', tone: 'wait' });
  });

  it('one interval: its time span on the date', () => {
    expect(plainSentence(report({}, 72), evidence(official, official), fmt, null)).toEqual({
      key: 'ledger.plain.matchInterval',
      facts: { date: 'date(2026-12-01)', from: '18:00', to: '18:15', kwh: '0.15' },
      tone: 'ok',
    });
  });
});

describe('difference', () => {
  it('ignores what is under the meter’s resolution and counts import and export apart', () => {
    const a = [{ start: 0, seconds: 900, importWh: 100n, exportWh: 5n }];
    expect(difference(a, [{ ...a[0]!, importWh: 101n }], 2n)).toBeNull();
    expect(difference(a, [{ ...a[0]!, importWh: 90n, exportWh: 8n }], 1n)).toEqual({ wh: 13n, from: 0, to: 900, count: 1 });
  });
});
