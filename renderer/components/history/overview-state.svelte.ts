import type { PayloadOf, ResponseOf, WattletApi } from '../../../main/api/contract.js';
import { OBIS } from '../../../main/meter/reading.js';
import { EventStore } from '../../lib/event-store.svelte.js';
import type { Visibility } from '../../lib/visibility.js';

type Overview = ResponseOf<'history.overview'>;
type Dashboard = ResponseOf<'history.dashboard'>;
type SessionStatus = PayloadOf<'meter.state'>;

/** Stored readings move today's totals; read them again at most this often. */
const SETTLE_MS = 3000;

/**
 * The Overview page's state: the history's summary and dashboard (read again a few seconds after
 * readings are stored), the live power from the meter's readings, and the meter session's state.
 */
export class OverviewState {
  readonly overview: EventStore<Overview>;
  /** Today's curve, 30 days, the month's cost so far and forecast, the tier (history.dashboard). */
  readonly dashboard: EventStore<Dashboard>;
  live = $state<{ powerW: number; at: number } | null>(null);
  session = $state<SessionStatus | null>(null);
  /** No meter session runs in this mode (the status channel said so). */
  noSession = $state(false);
  readonly #api: WattletApi;

  constructor(api: WattletApi, visibility?: Visibility) {
    this.#api = api;
    this.overview = new EventStore(api, {
      load: () => api.invoke('history.overview', {}),
      on: ['history.appended'],
      settleMs: SETTLE_MS,
      ...(visibility ? { visibility } : {}),
    });
    this.dashboard = new EventStore(api, {
      load: () => api.invoke('history.dashboard', {}),
      on: ['history.appended'],
      settleMs: SETTLE_MS,
      ...(visibility ? { visibility } : {}),
    });
  }

  /** Watts now: the live reading's, else the last stored one's (export negative). */
  get powerW(): number | null {
    return this.live?.powerW ?? this.overview.value?.latest?.powerW ?? null;
  }

  get lastAt(): number | null {
    return this.live?.at ?? this.overview.value?.latest?.ts ?? null;
  }

  start(): () => void {
    const stop = this.overview.start();
    const stopDashboard = this.dashboard.start();
    this.#api.invoke('meter.session.status', {}).then(
      (s) => (this.session = s),
      () => (this.noSession = true),
    );
    const offs = [
      this.#api.on('meter.reading', (r) => {
        const q = (obis: string) => r.quantities.find((x) => x.obis === obis)?.value;
        const pin = q(OBIS.powerImport);
        const pout = q(OBIS.powerExport);
        if (pin !== undefined || pout !== undefined) this.live = { powerW: (pin ?? 0) - (pout ?? 0), at: r.meterTime ?? r.receivedAt };
      }),
      this.#api.on('meter.state', (s) => {
        this.session = s;
        this.noSession = false;
      }),
    ];
    return () => {
      for (const off of offs) off();
      stop();
      stopDashboard();
    };
  }
}
