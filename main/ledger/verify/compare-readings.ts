import type { Comparison } from './report.js';

/** One 15-minute interval as my meter recorded it (the history store's roll-up). */
export interface MeterInterval {
  readonly start: number;
  readonly seconds: number;
  readonly importWh: bigint;
  readonly exportWh: bigint;
}

function label(start: number): string {
  return new Date(start * 1000).toISOString().slice(0, 16) + 'Z';
}

function within(a: bigint, b: bigint, resolutionWh: bigint): boolean {
  const d = a > b ? a - b : b - a;
  return d < resolutionWh;
}

/**
 * Check 1 (LEDGER.md): my readings against the operator's intervals, interval by interval,
 * equal within the meter's resolution (a difference smaller than one register step is no
 * difference). Every interval is listed, so a difference shows both values.
 */
export function compareReadings(
  local: readonly MeterInterval[],
  official: readonly MeterInterval[],
  resolutionWh: bigint,
): Comparison[] {
  const mine = new Map(local.map((iv) => [iv.start, iv]));
  const out: Comparison[] = [];
  for (const o of official) {
    const l = mine.get(o.start);
    mine.delete(o.start);
    if (!l) {
      out.push({ subject: `${label(o.start)} interval`, expected: 'missing', actual: `${o.importWh}/${o.exportWh}`, ok: false });
      continue;
    }
    out.push(
      { subject: `${label(o.start)} importWh`, expected: l.importWh.toString(), actual: o.importWh.toString(), ok: within(l.importWh, o.importWh, resolutionWh) },
      { subject: `${label(o.start)} exportWh`, expected: l.exportWh.toString(), actual: o.exportWh.toString(), ok: within(l.exportWh, o.exportWh, resolutionWh) },
    );
  }
  for (const l of mine.values()) {
    out.push({ subject: `${label(l.start)} interval`, expected: `${l.importWh}/${l.exportWh}`, actual: 'missing', ok: false });
  }
  return out;
}
