import type { WattletApi } from '../../../main/api/contract.js';
import type { DayReportDto, DayStatus, LedgerStatus, RangeSummary } from '../../../main/api/ledger.js';
import { Activity } from '../../lib/activity.svelte.js';
import type { Expected, WindowVerdict } from './window-verifier.js';

/** The verifier (keccak, tries, trees) is loaded the first time the window checks something, not with the app. */
async function verifyInWindow(raw: unknown, expected: Expected): Promise<WindowVerdict> {
  return (await import('./window-verifier.js')).verifyInWindow(raw, expected);
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Days of evidence asked for at once (the channel's limit). */
const EVIDENCE_CHUNK = 31;

/** The window's own pass over a range main verified: how many days it re-derived and where it parted ways with main. */
export interface WindowRange {
  readonly total: number;
  readonly done: number;
  /** The window's verdict equals main's, day by day. */
  readonly agree: number;
  /** Days where the window and main disagree (red findings). */
  readonly disagree: string[];
  /** Milliseconds the window spent verifying (its own proofs only), and waiting for the evidence (the next chunk is asked for while one is verified). */
  readonly verifyMs: number;
  readonly fetchMs: number;
  readonly keccak: 'wasm' | 'noble' | null;
  readonly finished: boolean;
}

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
  /** The window's own verdict on the report shown (re-derived from main's evidence). */
  verdict = $state<WindowVerdict | null>(null);
  /** Why the window could not check the report shown (the evidence did not come), as a typed error. */
  verdictError = $state<unknown>(null);
  /** The window's own pass over the last range. */
  windowRange = $state<WindowRange | null>(null);
  /** Days this window re-derived and found otherwise than main reported (marked in the day list). */
  get refusedDates(): string[] {
    const out = new Set(this.windowRange?.disagree ?? []);
    if (this.verdict && this.verdict.findings.length && this.verdict.interval === null) out.add(this.verdict.date);
    return [...out];
  }
  /** The household's time zone (the history's), for the plain sentences' times. */
  timeZone = $state(Intl.DateTimeFormat().resolvedOptions().timeZone);
  /** Seconds after a day's end the operator usually anchors it (main's median of its newest anchors); null: unknown. */
  usualAnchorDelay = $state<number | null>(null);
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
      await this.#loadTimeZone();
    });
  }

  verifyDay(date: string): Promise<boolean> {
    return this.activity.run(`verify:${date}`, async () => {
      this.report = await this.#api.invoke('ledger.verifyDay', { date });
      await this.#windowCheck(date, null);
      await this.#reloadDays();
    });
  }

  verifyInterval(date: string, index: number): Promise<boolean> {
    return this.activity.run(`interval:${date}`, async () => {
      this.report = await this.#api.invoke('ledger.verifyInterval', { date, index });
      await this.#windowCheck(date, index);
    });
  }

  /** The window re-verifies what main just reported on, from the evidence main used. */
  async #windowCheck(date: string, interval: number | null): Promise<void> {
    this.verdict = null;
    this.verdictError = null;
    try {
      const { days } = await this.#api.invoke('ledger.evidence', { dates: [date], ...(interval !== null ? { interval } : {}) });
      this.verdict = await verifyInWindow(days[0], { meterId: this.status?.meterId ?? null, date, interval });
    } catch (e) {
      this.verdictError = e;
    }
  }

  /**
   * The window's own pass over a range main has verified: the evidence in chunks, each day
   * re-verified here and compared with main's report on it.
   */
  async #windowRange(from: string, to: string): Promise<void> {
    const dates: string[] = [];
    for (let ms = Date.parse(from); ms <= Date.parse(to); ms += DAY_MS) dates.push(iso(ms));
    let state: WindowRange = { total: dates.length, done: 0, agree: 0, disagree: [], verifyMs: 0, fetchMs: 0, keccak: null, finished: false };
    this.windowRange = state;
    const chunks: string[][] = [];
    for (let i = 0; i < dates.length; i += EVIDENCE_CHUNK) chunks.push(dates.slice(i, i + EVIDENCE_CHUNK));
    // The next chunk is asked for while this one is verified; fetchMs is the time spent waiting for it.
    const ask = (chunk: string[]) => {
      const p = this.#api.invoke('ledger.evidence', { dates: chunk });
      p.catch(() => undefined); // awaited below, where its error counts; not an unhandled rejection meanwhile
      return p;
    };
    let next = chunks.length ? ask(chunks[0]!) : null;
    for (const [c, chunk] of chunks.entries()) {
      const t = performance.now();
      const { days } = await next!;
      const fetchMs = performance.now() - t;
      next = c + 1 < chunks.length ? ask(chunks[c + 1]!) : null;
      let verifyMs = 0;
      const disagree: string[] = [];
      let agree = 0;
      let keccak: WindowRange['keccak'] = state.keccak;
      for (const [k, date] of chunk.entries()) {
        const v = await verifyInWindow(days[k], { meterId: this.status?.meterId ?? null, date, interval: null });
        verifyMs += v.ms;
        keccak = v.keccak;
        if (v.findings.length) disagree.push(date);
        else agree++;
      }
      state = { ...state, done: state.done + chunk.length, agree: state.agree + agree, disagree: [...state.disagree, ...disagree], verifyMs: state.verifyMs + verifyMs, fetchMs: state.fetchMs + fetchMs, keccak };
      this.windowRange = state;
      // Let the page paint its progress between chunks (not counted in verifyMs).
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    this.windowRange = { ...state, finished: true };
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
        if (!this.summary.cancelled) await this.#windowRange(iso(now - 365 * DAY_MS), iso(now - DAY_MS));
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

  /** The history's zone (the household's); the window's own where the history does not answer. */
  async #loadTimeZone(): Promise<void> {
    try {
      this.timeZone = (await this.#api.invoke('history.overview', {})).timeZone;
    } catch {
      // The ledger alone (no history in this host): the window's zone stays.
    }
  }

  async #reloadDays(): Promise<void> {
    if (this.status?.state !== 'connected') return;
    const r = await this.#api.invoke('ledger.days', { from: this.from, to: this.to });
    this.days = r.days;
    if (r.usualAnchorDelay !== undefined && r.usualAnchorDelay !== null) this.usualAnchorDelay = r.usualAnchorDelay;
  }
}
