import type { DayReportDto, DayStatus, LedgerStatus, RangeSummary } from '../../../main/api/ledger.js';
import { api } from '../../lib/api.js';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The Ledger page's state: the connection, the days of the shown range with their status, the
 * report on screen, and a running range verification (progress from ledger.verifyProgress,
 * cancellable). Components read it; only this module calls the API.
 */
export class LedgerStore {
  status = $state<LedgerStatus | null>(null);
  days = $state<DayStatus[]>([]);
  from = $state(iso(Date.now() - 30 * DAY_MS));
  to = $state(iso(Date.now()));
  report = $state<DayReportDto | null>(null);
  busy = $state<string | null>(null);
  error = $state<unknown>(null);
  notice = $state<{ key: string; facts: Record<string, string> } | null>(null);
  job = $state<{ id: string; done: number; total: number } | null>(null);
  summary = $state<RangeSummary | null>(null);

  async refresh(): Promise<void> {
    await this.#busyWith('refresh', async () => {
      this.status = await api.invoke('ledger.status', {});
      if (this.status.state === 'connected') this.days = (await api.invoke('ledger.days', { from: this.from, to: this.to })).days;
    });
  }

  async verifyDay(date: string): Promise<void> {
    await this.#busyWith(`verify:${date}`, async () => {
      this.report = await api.invoke('ledger.verifyDay', { date });
      this.error = null;
      await this.#reloadDays();
    });
  }

  async verifyInterval(date: string, index: number): Promise<void> {
    await this.#busyWith(`interval:${date}`, async () => {
      this.report = await api.invoke('ledger.verifyInterval', { date, index });
    });
  }

  async attest(date: string): Promise<void> {
    await this.#busyWith(`attest:${date}`, async () => {
      const r = await api.invoke('ledger.attest', { date });
      this.notice = { key: 'ledger.attest.done', facts: { txHash: r.txHash } };
      this.error = null;
      await this.#reloadDays();
    });
  }

  /**
   * One action with its busy marker: the error cleared when the action's main step succeeds
   * (set by `fn` itself where a reload follows), shown when any step fails.
   */
  async #busyWith(busy: string, fn: () => Promise<void>): Promise<void> {
    this.busy = busy;
    try {
      await fn();
      this.error = null;
    } catch (e) {
      this.error = e;
    } finally {
      this.busy = null;
    }
  }

  /** The last 365 closed days (yesterday and the 364 before it). */
  async verifyYear(): Promise<void> {
    const id = `range-${Date.now().toString(36)}`;
    const to = iso(Date.now() - DAY_MS);
    const from = iso(Date.now() - 365 * DAY_MS);
    this.job = { id, done: 0, total: 365 };
    this.summary = null;
    const off = api.on('ledger.verifyProgress', (p) => {
      if (p.jobId === id) this.job = { id, done: p.done, total: p.total };
    });
    try {
      this.summary = await api.invoke('ledger.verifyRange', { jobId: id, from, to });
      this.error = null;
      await this.#reloadDays();
    } catch (e) {
      this.error = e;
    } finally {
      off();
      this.job = null;
    }
  }

  async cancel(): Promise<void> {
    if (this.job) await api.invoke('ledger.cancelVerify', { jobId: this.job.id }).catch((e: unknown) => (this.error = e));
  }

  async #reloadDays(): Promise<void> {
    if (this.status?.state === 'connected') this.days = (await api.invoke('ledger.days', { from: this.from, to: this.to })).days;
  }
}
