import type { ResponseOf, WattletApi } from '../../../main/api/contract.js';

export type Series = ResponseOf<'history.query'>;
export type PeriodTotal = ResponseOf<'history.totals'>['totals'][number];
export type TotalsMoney = ResponseOf<'history.totals'>['money'];
export type TotalsPeriod = 'day' | 'week' | 'month' | 'year';

const DAY = 86_400_000;
const MIN_SPAN = 3_600_000; // an hour: the minute roll-up's sweet spot
const MAX_SPAN = 3653 * DAY; // ten years
const DEBOUNCE_MS = 160;

/**
 * The History page's view: the visible range, the series for it and the totals. Zoom and pan
 * move the range at once (the chart re-scales the data it has), and fetch the right roll-up
 * after a short pause; the previous data stays on screen until the new arrives, and answers to
 * superseded requests are dropped — no flashing, no stutter.
 */
export class ChartState {
  from = $state(0);
  to = $state(0);
  series = $state<Series | null>(null);
  totals = $state<PeriodTotal[]>([]);
  /** The currency of the totals' costs; null without a tariff. */
  money = $state<TotalsMoney>(null);
  period = $state<TotalsPeriod | 'auto'>('auto');
  loading = $state(false);
  error = $state<unknown>(null);
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Where "now" is for presets: the newest reading, else the clock. */
  anchor = $state(0);
  /** The household's time zone (the history's calendar), once the overview has said it. */
  timeZone = $state<string | undefined>(undefined);
  /** The oldest reading: "Ten years" starts no earlier (no empty years before it). */
  first = $state<number | null>(null);
  readonly #api: WattletApi;

  constructor(api: WattletApi, now: () => number = Date.now) {
    this.#api = api;
    this.anchor = now();
  }

  /** The last year up to the newest reading, so a history that ended last year still shows. */
  async init(): Promise<void> {
    try {
      const o = await this.#api.invoke('history.overview', {});
      if (o.latest) this.anchor = o.latest.ts;
      this.timeZone = o.timeZone;
      this.first = o.firstTs;
    } finally {
      this.preset('year');
    }
  }

  readonly effectivePeriod = $derived<TotalsPeriod>(
    this.period !== 'auto' ? this.period : this.to - this.from <= 14 * DAY ? 'day' : this.to - this.from <= 120 * DAY ? 'week' : this.to - this.from <= 3 * 366 * DAY ? 'month' : 'year',
  );

  preset(kind: 'day' | 'week' | 'month' | 'year' | 'all'): void {
    let span = { day: DAY, week: 7 * DAY, month: 31 * DAY, year: 365 * DAY, all: MAX_SPAN }[kind];
    // "Ten years" of a history two years old shows the two years, not eight empty ones first.
    if (kind === 'all' && this.first !== null) span = Math.max(MIN_SPAN, Math.min(MAX_SPAN, this.anchor - this.first + DAY));
    this.setRange(this.anchor - span, this.anchor, true);
  }

  /**
   * The totals worth a row: empty periods before the first and after the last one with readings
   * are left out (a ten-year range of a young history has no nine empty years); gaps between
   * stay, they are news.
   */
  get visibleTotals(): { rows: PeriodTotal[]; hidden: number } {
    const has = (t: PeriodTotal) => t.coverage > 0 || t.importWh !== 0 || t.exportWh !== 0;
    const first = this.totals.findIndex(has);
    if (first < 0) return { rows: [], hidden: this.totals.length };
    let last = this.totals.length - 1;
    while (last > first && !has(this.totals[last]!)) last--;
    return { rows: this.totals.slice(first, last + 1), hidden: this.totals.length - (last + 1 - first) };
  }

  setRange(from: number, to: number, immediate = false): void {
    let span = Math.min(MAX_SPAN, Math.max(MIN_SPAN, Math.round(to - from)));
    const mid = (from + to) / 2;
    let f = Math.round(mid - span / 2);
    if (f < 0) f = 0;
    span = Math.min(span, MAX_SPAN);
    this.from = f;
    this.to = f + span;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.load(), immediate ? 0 : DEBOUNCE_MS);
  }

  zoom(factor: number, center = (this.from + this.to) / 2): void {
    const from = center - (center - this.from) * factor;
    const to = center + (this.to - center) * factor;
    this.setRange(from, to);
  }

  pan(fraction: number): void {
    const d = (this.to - this.from) * fraction;
    this.setRange(this.from + d, this.to + d);
  }

  setPeriod(p: TotalsPeriod | 'auto'): void {
    this.period = p;
    void this.load();
  }

  async load(): Promise<void> {
    const id = ++this.#seq;
    const { from, to } = this;
    this.loading = true;
    try {
      const [series, totals] = await Promise.all([
        this.#api.invoke('history.query', { from, to }),
        this.#api.invoke('history.totals', { from, to, period: this.effectivePeriod, cost: true }),
      ]);
      if (id !== this.#seq) return; // a newer range was asked for meanwhile
      this.series = series;
      this.totals = totals.totals;
      this.money = totals.money;
      this.error = null;
    } catch (e) {
      if (id === this.#seq) this.error = e;
    } finally {
      if (id === this.#seq) this.loading = false;
    }
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#seq++;
  }
}
