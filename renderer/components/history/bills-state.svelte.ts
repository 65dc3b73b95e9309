import type { ResponseOf, WattletApi } from '../../../main/api/contract.js';
import { LocalCalendar } from '../../../main/history/calendar.js';
import { Activity } from '../../lib/activity.svelte.js';

export type Bill = ResponseOf<'bill.compute'>;
export type Comparison = ResponseOf<'bill.compare'>['comparison'];
export type TariffSummary = ResponseOf<'tariff.list'>['tariffs'][number];
export type UtilityBill = { lines: Array<{ key: string; energyWh?: number | null; amount?: number | null }>; total: number };

/** 'YYYY-MM' of the last complete month in a zone. */
function lastMonth(cal: LocalCalendar, now: number): string {
  const p = cal.parts(now);
  const y = p.month === 1 ? p.year - 1 : p.year;
  const m = p.month === 1 ? 12 : p.month - 1;
  return `${y}-${String(m).padStart(2, '0')}`;
}

/**
 * The Bills page's state: tariffs, the period (a month, or custom dates, in the household's
 * zone), the computed bill and its comparison with the utility's.
 */
export class BillsState {
  readonly activity = new Activity<'compute' | 'compare' | 'makeDefault'>();
  tariffs = $state<TariffSummary[]>([]);
  activeId = $state<string | null>(null);
  tariffId = $state('');
  timeZone = $state('UTC');
  month = $state('');
  custom = $state(false);
  fromDate = $state('');
  toDate = $state('');
  bill = $state<Bill | null>(null);
  comparison = $state<Comparison | null>(null);
  readonly #api: WattletApi;
  readonly #now: () => number;

  constructor(api: WattletApi, now: () => number = Date.now) {
    this.#api = api;
    this.#now = now;
  }

  /** The tariffs and the household's zone; then the bill of the last complete month. */
  async init(): Promise<void> {
    await this.activity.load(async () => {
      const [list, overview] = await Promise.all([this.#api.invoke('tariff.list', {}), this.#api.invoke('history.overview', {})]);
      this.timeZone = overview.timeZone;
      this.tariffs = list.tariffs;
      this.activeId = list.activeId;
      this.tariffId = list.activeId ?? list.tariffs[0]?.id ?? '';
      const anchor = overview.latest?.ts ?? this.#now();
      this.month = lastMonth(new LocalCalendar(this.timeZone), anchor);
    });
    if (this.tariffId) await this.compute();
  }

  period(): { from: number; to: number } {
    const cal = new LocalCalendar(this.timeZone);
    const day = (text: string) => {
      const [y, m, d] = text.split('-').map(Number);
      return cal.toUtc(y, m, d);
    };
    if (this.custom && this.fromDate && this.toDate) return { from: day(this.fromDate), to: day(this.toDate) };
    const [y, m] = this.month.split('-').map(Number);
    return { from: cal.toUtc(y, m, 1), to: cal.toUtc(y, m + 1, 1) };
  }

  compute(): Promise<boolean> {
    return this.activity.run('compute', async () => {
      this.comparison = null;
      this.bill = await this.#api.invoke('bill.compute', { ...this.period(), tariffId: this.tariffId || undefined });
    });
  }

  compare(utility: UtilityBill): Promise<boolean> {
    return this.activity.run('compare', async () => {
      const r = await this.#api.invoke('bill.compare', { ...this.period(), tariffId: this.tariffId || undefined, utility });
      this.bill = r.bill;
      this.comparison = r.comparison;
    });
  }

  makeDefault(): Promise<boolean> {
    return this.activity.run('makeDefault', async () => {
      this.activeId = (await this.#api.invoke('tariff.setActive', { id: this.tariffId })).activeId;
    });
  }

  /** One tariff's document, for the editor. */
  async loadTariff(id: string): Promise<Record<string, unknown>> {
    return (await this.#api.invoke('tariff.get', { id })).tariff;
  }

  /** Saves a tariff (validated by the main process); answers its id. */
  async saveTariff(doc: Record<string, unknown>): Promise<string> {
    return String((await this.#api.invoke('tariff.save', { tariff: doc })).tariff.id);
  }

  async reloadTariffs(): Promise<void> {
    const list = await this.#api.invoke('tariff.list', {});
    this.tariffs = list.tariffs;
    this.activeId = list.activeId;
  }
}
