import type { WattletApi } from '../../../main/api/contract.js';
import type { DayReportDto, DayStatus, LedgerStatus, RangeSummary } from '../../../main/api/ledger.js';
import { Activity } from '../../lib/activity.svelte.js';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The Ledger page's state: the connection, the days of the shown range with their status, the
 * report on screen, and a running range verification (progress from ledger.verifyProgress,
 * cancellable). Components read it; only this module calls the API.
 */
export class LedgerStore {
  readonly activity = new Activity();
  status = $state<LedgerStatus | null>(null);
  days = $state<DayStatus[]>([]);
  from = $state(iso(Date.now() - 30 * DAY_MS));
  to = $state(iso(Date.now()));
  report = $state<DayReportDto | null>(null);
  job = $state<{ id: string; done: number; total: number } | null>(null);
  summary = $state<RangeSummary | null>(null);
  readonly #api: WattletApi;
  readonly #now: () => number;

  constructor(api: WattletApi, now: () => number = Date.now) {
    this.#api = api;
    this.#now = now;
  }

  refresh(): Promise<boolean> {
    return this.activity.run('refresh', async () => {
      this.status = await this.#api.invoke('ledger.status', {});
      await this.#reloadDays();
    });
  }

  verifyDay(date: string): Promise<boolean> {
    return this.activity.run(`verify:${date}`, async () => {
      this.report = await this.#api.invoke('ledger.verifyDay', { date });
      await this.#reloadDays();
    });
  }

  verifyInterval(date: string, index: number): Promise<boolean> {
    return this.activity.run(`interval:${date}`, async () => {
      this.report = await this.#api.invoke('ledger.verifyInterval', { date, index });
    });
  }

  attest(date: string): Promise<boolean> {
    return this.activity.run(`attest:${date}`, async () => {
      const r = await this.#api.invoke('ledger.attest', { date });
      this.activity.say('ledger.attest.done', { txHash: r.txHash });
      await this.#reloadDays();
    });
  }

  /** The last 365 closed days (yesterday and the 364 before it), with progress; not an action that blocks the others. */
  async verifyYear(): Promise<void> {
    const now = this.#now();
    const id = `range-${now.toString(36)}`;
    this.job = { id, done: 0, total: 365 };
    this.summary = null;
    const off = this.#api.on('ledger.verifyProgress', (p) => {
      if (p.jobId === id) this.job = { id, done: p.done, total: p.total };
    });
    try {
      await this.activity.load(async () => {
        this.summary = await this.#api.invoke('ledger.verifyRange', { jobId: id, from: iso(now - 365 * DAY_MS), to: iso(now - DAY_MS) });
        await this.#reloadDays();
      });
    } finally {
      off();
      this.job = null;
    }
  }

  async cancel(): Promise<void> {
    const job = this.job;
    if (job) await this.activity.load(async () => void (await this.#api.invoke('ledger.cancelVerify', { jobId: job.id })));
  }

  async #reloadDays(): Promise<void> {
    if (this.status?.state === 'connected') this.days = (await this.#api.invoke('ledger.days', { from: this.from, to: this.to })).days;
  }
}
