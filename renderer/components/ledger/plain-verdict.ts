import type { DayReportDto, HandedEvidence } from '../../../main/api/ledger.js';

/**
 * The one sentence a day's verification leads with, in the household's words: kWh, its dates and
 * zone, what matched or where it differs; never a step name or a code (those are below, folded).
 * Pure: it picks the sentence (an i18n key under ledger.plain) and its facts from the window's own
 * report and the evidence it checked; the component formats and translates.
 */
export interface PlainSentence {
  readonly key: string;
  readonly facts: Record<string, string>;
  /** ok: matches; differs: my meter differs; wait: not on the ledger or not final yet; bad: not proven. */
  readonly tone: 'ok' | 'differs' | 'wait' | 'bad';
}

export interface PlainFormat {
  /** Wh → "14.39" (kWh, the unit in the sentence). */
  kwh(wh: bigint): string;
  /** The ledger day (UTC date) → "1 December". */
  date(date: string): string;
  /** Unix seconds → "18:00" in the household's zone. */
  time(seconds: number): string;
  /** A failing step's plain name. */
  step(id: string): string;
  /** A skipped or failed step's reason, in full words. */
  reason(code: string): string;
}

interface Amounts {
  readonly start: number;
  readonly seconds: number;
  readonly importWh: bigint;
  readonly exportWh: bigint;
}

function officialIntervals(h: HandedEvidence | null): Amounts[] {
  const file = h?.handover as { intervals?: Array<{ start: number; seconds: number; importWh: string; exportWh: string }> } | null | undefined;
  if (!file || !Array.isArray(file.intervals)) return [];
  const out: Amounts[] = [];
  for (const iv of file.intervals) {
    if (typeof iv.start !== 'number' || !/^\d+$/.test(String(iv.importWh)) || !/^\d+$/.test(String(iv.exportWh))) continue;
    out.push({ start: iv.start, seconds: iv.seconds, importWh: BigInt(iv.importWh), exportWh: BigInt(iv.exportWh) });
  }
  return out;
}

function localIntervals(h: HandedEvidence | null): Amounts[] {
  return (h?.local ?? []).map((l) => ({ start: l.start, seconds: l.seconds, importWh: BigInt(l.importWh), exportWh: BigInt(l.exportWh) }));
}

const abs = (v: bigint) => (v < 0n ? -v : v);

/** Where my meter and the operator differ: the total Wh apart and the span of the intervals that differ. */
export function difference(local: readonly Amounts[], official: readonly Amounts[], resolutionWh: bigint): { wh: bigint; from: number; to: number; count: number } | null {
  const mine = new Map(local.map((l) => [l.start, l]));
  let wh = 0n;
  let from = Infinity;
  let to = -Infinity;
  let count = 0;
  for (const o of official) {
    const m = mine.get(o.start);
    if (!m) continue;
    const dImport = abs(m.importWh - o.importWh);
    const dExport = abs(m.exportWh - o.exportWh);
    if (dImport < resolutionWh && dExport < resolutionWh) continue;
    wh += dImport + dExport;
    from = Math.min(from, o.start);
    to = Math.max(to, o.start + o.seconds);
    count++;
  }
  return count ? { wh, from, to, count } : null;
}

const CHAIN: readonly string[] = ['leaves', 'region', 'anchor', 'header', 'finality'];

export function plainSentence(report: DayReportDto, evidence: HandedEvidence | null, f: PlainFormat, usualAnchor: string | null): PlainSentence {
  const official = officialIntervals(evidence);
  const local = localIntervals(evidence);
  const only = report.interval !== null ? official[report.interval] : undefined;
  const when = only
    ? { date: f.date(report.date), from: f.time(only.start), to: f.time(only.start + only.seconds) }
    : { date: f.date(report.date), from: '', to: '' };
  const on = only ? 'Interval' : '';
  const step = (id: string) => report.steps.find((s) => s.id === id);
  const anchor = step('anchor');
  if (anchor?.code === 'LEDGER_NO_ANCHOR') {
    return usualAnchor
      ? { key: 'ledger.plain.notAnchoredUsually', facts: { date: when.date, time: usualAnchor }, tone: 'wait' }
      : { key: 'ledger.plain.notAnchored', facts: { date: when.date }, tone: 'wait' };
  }
  const inChain = report.steps.filter((s) => CHAIN.includes(s.id) && (s.id !== 'region' || report.design === 'region'));
  const failed = inChain.find((s) => s.status === 'fail');
  if (failed?.id === 'finality' && failed.code === 'PROOF_BLOCK_TOO_SHALLOW') return { key: 'ledger.plain.notFinal', facts: { date: when.date }, tone: 'wait' };
  if (failed) return { key: 'ledger.plain.notProven', facts: { date: when.date, step: f.step(failed.id) }, tone: 'bad' };
  const incomplete = inChain.find((s) => s.status === 'skipped');
  if (incomplete) return { key: 'ledger.plain.incomplete', facts: { date: when.date, reason: incomplete.code ? f.reason(incomplete.code) : '' }, tone: 'wait' };
  const readings = step('readings');
  const scope = only ? official.slice(report.interval!, report.interval! + 1) : official;
  if (readings?.status === 'fail') {
    const d = difference(local, scope, BigInt(evidence?.resolutionWh ?? '1'));
    if (d) return { key: 'ledger.plain.differs', facts: { date: when.date, kwh: f.kwh(d.wh), from: f.time(d.from), to: f.time(d.to) }, tone: 'differs' };
    return { key: 'ledger.plain.differsSomewhere', facts: { date: when.date }, tone: 'differs' };
  }
  const sum = (list: readonly Amounts[], k: 'importWh' | 'exportWh') => list.reduce((a, x) => a + x[k], 0n);
  const mine = only ? local.filter((l) => l.start === only.start) : local;
  if (readings?.status !== 'pass' || mine.length === 0) {
    return { key: `ledger.plain.onLedgerNoMeter${on}`, facts: { ...when, kwh: f.kwh(sum(scope, 'importWh')) }, tone: 'ok' };
  }
  const exported = sum(mine, 'exportWh');
  return exported > 0n
    ? { key: `ledger.plain.matchBoth${on}`, facts: { ...when, kwh: f.kwh(sum(mine, 'importWh')), out: f.kwh(exported) }, tone: 'ok' }
    : { key: `ledger.plain.match${on}`, facts: { ...when, kwh: f.kwh(sum(mine, 'importWh')) }, tone: 'ok' };
}
