import type { WattletApi } from '../../../main/api/contract.js';
import type { MeterEventDto } from '../../../main/api/history.js';
import { Activity } from '../../lib/activity.svelte.js';

/**
 * The meter events of the range a page shows (swaps, jumps, skipped glitches), read again when
 * the range changes or readings arrive; an answer for an older range is dropped.
 */
export class MeterEventsStore {
  events = $state<MeterEventDto[]>([]);
  readonly activity = new Activity();
  readonly #api: WattletApi;
  #range: { from: number; to: number } | null = null;
  #seq = 0;

  constructor(api: WattletApi) {
    this.#api = api;
  }

  /** Reads again whenever readings are appended; returns the stop. */
  start(): () => void {
    const off = this.#api.on('history.appended', () => {
      if (this.#range) void this.load(this.#range.from, this.#range.to);
    });
    return () => {
      off();
      this.#seq++;
    };
  }

  async load(from: number, to: number): Promise<void> {
    this.#range = { from, to };
    const seq = ++this.#seq;
    await this.activity.load(async () => {
      const { events } = await this.#api.invoke('history.meterEvents', { from, to });
      if (seq === this.#seq) this.events = events;
    });
  }
}
