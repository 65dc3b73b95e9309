import { LocalCalendar } from '../calendar.js';
import { windowAt, type Tariff } from '../tariffs/schema.js';
import { divRound, energyAmount } from './rounding.js';

/**
 * The bill for a period, line by line. Pure and isomorphic (Intl only): the renderer, the CLI
 * and a test can all re-run it from the same intervals and tariff and get the same fen.
 */
export interface BillInterval {
  /** Start of a quarter-hour (UTC ms); windows are decided by its local start time. */
  readonly start: number;
  readonly importWh: number;
  readonly exportWh: number;
}

export interface BillInput {
  readonly tariff: Tariff;
  readonly from: number;
  readonly to: number;
  readonly intervals: readonly BillInterval[];
  /** Import already counted in the tier period (month or tariff year) before `from`. */
  readonly priorImportWh: number;
  /** How much of the period the readings cover, permille (from the store). */
  readonly coverage?: number;
}

export type BillLineKind = 'energy' | 'export' | 'net' | 'standing' | 'tax';

export interface BillLine {
  /** Stable key ('energy:peak:2', 'export', 'standing:service', 'tax:vat') the comparison matches on. */
  readonly key: string;
  readonly kind: BillLineKind;
  readonly window: string | null;
  /** 1-based tier band; 0 when the tariff has no tiers. */
  readonly tier: number;
  readonly energyWh: number | null;
  /** Days or months for standing charges; the amount taxed (minor units) for a tax. */
  readonly quantity: number | null;
  /** What `quantity` counts: 'day' or 'month' (standing charges), 'minor' (a tax's base); null for energy lines. */
  readonly quantityUnit: 'day' | 'month' | 'minor' | null;
  /** milli-minor/kWh (energy), milli-minor per day/month (standing), basis points (tax). */
  readonly unitPrice: number;
  /** Minor units; credits are negative. */
  readonly amount: number;
}

export interface Bill {
  readonly tariffId: string;
  readonly currency: string;
  readonly minorUnitDigits: number;
  readonly from: number;
  readonly to: number;
  readonly importWh: number;
  readonly exportWh: number;
  readonly lines: BillLine[];
  readonly subtotal: number;
  readonly taxTotal: number;
  readonly total: number;
  readonly coverage: number;
}

/** Key of the tier period containing local (year, month): resets at month or tariff-year start. */
export function tierPeriodKey(tariff: Tariff, year: number, month: number): number {
  if (!tariff.tiers || tariff.tiers.basis === 'monthly') return year * 12 + month;
  return month >= tariff.tiers.yearStartMonth ? year : year - 1;
}

/** Start (UTC ms) of the tier period containing `ts`, for the caller to sum prior import. */
export function tierPeriodStart(tariff: Tariff, ts: number): number {
  const cal = new LocalCalendar(tariff.timeZone);
  const p = cal.parts(ts);
  if (!tariff.tiers || tariff.tiers.basis === 'monthly') return cal.toUtc(p.year, p.month, 1);
  const start = tariff.tiers.yearStartMonth;
  return cal.toUtc(p.month >= start ? p.year : p.year - 1, start, 1);
}

export function computeBill(input: BillInput): Bill {
  const { tariff } = input;
  const cal = new LocalCalendar(tariff.timeZone);
  const windows = Object.keys(tariff.energy.prices);
  const energy = new Map<string, number>(); // `${window}|${tier}` → Wh
  const exportBy = new Map<string, number>();
  const importBy = new Map<string, number>();
  let cumulative = input.priorImportWh;
  let periodKey: number | null = null;
  let importWh = 0;
  let exportWh = 0;
  const add = (m: Map<string, number>, k: string, v: number): void => {
    m.set(k, (m.get(k) ?? 0) + v);
  };
  for (const iv of [...input.intervals].sort((a, b) => a.start - b.start)) {
    if (iv.start < input.from || iv.start >= input.to) continue;
    const p = cal.parts(iv.start);
    const w = tariff.energy.schedule.length ? windowAt(tariff.energy.schedule, p.month, p.weekday, p.minuteOfDay)! : windows[0];
    importWh += iv.importWh;
    exportWh += iv.exportWh;
    add(importBy, w, iv.importWh);
    add(exportBy, w, iv.exportWh);
    if (!tariff.tiers) {
      add(energy, `${w}|0`, iv.importWh);
      continue;
    }
    const key = tierPeriodKey(tariff, p.year, p.month);
    if (periodKey !== null && key !== periodKey) cumulative = 0;
    periodKey = key;
    const bands = tariff.tiers.schedules.find((s) => s.months.includes(p.month))!.bands;
    // Split the interval's energy exactly at band thresholds (Wh), so a quarter-hour that
    // crosses 2760 kWh pays each part at its own price.
    let left = iv.importWh;
    for (let b = 0; b < bands.length && left > 0; b++) {
      const cap = bands[b].upToKWh === null ? Infinity : bands[b].upToKWh! * 1000;
      const room = cap - cumulative;
      if (room <= 0) continue;
      const take = Math.min(left, room);
      add(energy, `${w}|${b + 1}`, take);
      cumulative += take;
      left -= take;
    }
  }

  const lines: BillLine[] = [];
  const adder = (tier: number): number => (tier === 0 || !tariff.tiers ? 0 : tariff.tiers.schedules[0].bands[tier - 1].adder);
  const tierCount = tariff.tiers ? tariff.tiers.schedules[0].bands.length : 0;
  for (const w of windows) {
    for (let tier = 0; tier <= tierCount; tier++) {
      const wh = energy.get(`${w}|${tier}`);
      if (wh === undefined || wh === 0) continue;
      const price = tariff.energy.prices[w] + adder(tier);
      lines.push({ key: `energy:${w}:${tier}`, kind: 'energy', window: w, tier, energyWh: wh, quantity: null, quantityUnit: null, unitPrice: price, amount: energyAmount(wh, price) });
    }
  }

  const ex = tariff.export;
  if (ex.kind === 'feed-in' && exportWh > 0) {
    if (ex.windowPrices) {
      for (const w of windows) {
        const wh = exportBy.get(w) ?? 0;
        const price = ex.windowPrices[w] ?? ex.price;
        if (wh > 0) lines.push({ key: `export:${w}`, kind: 'export', window: w, tier: 0, energyWh: wh, quantity: null, quantityUnit: null, unitPrice: price, amount: -energyAmount(wh, price) });
      }
    } else {
      lines.push({ key: 'export', kind: 'export', window: null, tier: 0, energyWh: exportWh, quantity: null, quantityUnit: null, unitPrice: ex.price, amount: -energyAmount(exportWh, ex.price) });
    }
  } else if (ex.kind === 'net-metering' && exportWh > 0) {
    let excess = 0;
    for (const w of windows) {
      const out = exportBy.get(w) ?? 0;
      const netted = Math.min(out, importBy.get(w) ?? 0);
      excess += out - netted;
      const price = tariff.energy.prices[w];
      if (netted > 0) lines.push({ key: `net:${w}`, kind: 'net', window: w, tier: 0, energyWh: netted, quantity: null, quantityUnit: null, unitPrice: price, amount: -energyAmount(netted, price) });
    }
    if (excess > 0) {
      lines.push({ key: 'export:excess', kind: 'export', window: null, tier: 0, energyWh: excess, quantity: null, quantityUnit: null, unitPrice: ex.excessPrice, amount: -energyAmount(excess, ex.excessPrice) });
    }
  }

  for (const sc of tariff.standingCharges) {
    const count = sc.per === 'day' ? countBuckets(cal, 'day', input.from, input.to) : countBuckets(cal, 'month', input.from, input.to);
    lines.push({ key: `standing:${sc.id}`, kind: 'standing', window: null, tier: 0, energyWh: null, quantity: count, quantityUnit: sc.per, unitPrice: sc.amount, amount: divRound(count * sc.amount, 1000) });
  }

  const subtotal = lines.reduce((s, l) => s + l.amount, 0);
  const energyOnly = lines.filter((l) => l.kind === 'energy').reduce((s, l) => s + l.amount, 0);
  let taxTotal = 0;
  for (const tax of tariff.taxes) {
    const base = tax.base === 'all' ? subtotal : energyOnly;
    const amount = divRound(base * tax.rateBasisPoints, 10_000);
    taxTotal += amount;
    lines.push({ key: `tax:${tax.id}`, kind: 'tax', window: null, tier: 0, energyWh: null, quantity: base, quantityUnit: 'minor', unitPrice: tax.rateBasisPoints, amount });
  }
  return {
    tariffId: tariff.id,
    currency: tariff.currency,
    minorUnitDigits: tariff.minorUnitDigits,
    from: input.from,
    to: input.to,
    importWh,
    exportWh,
    lines,
    subtotal,
    taxTotal,
    total: subtotal + taxTotal,
    coverage: input.coverage ?? 1000,
  };
}

/** Local days or months that start inside [from, to): what standing charges are counted by. */
function countBuckets(cal: LocalCalendar, level: 'day' | 'month', from: number, to: number): number {
  let n = 0;
  let b = cal.bucketStart(level, from);
  if (b < from) b = cal.nextBucket(level, b);
  for (; b < to; b = cal.nextBucket(level, b)) n++;
  return n;
}
