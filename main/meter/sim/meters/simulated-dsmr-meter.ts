import { encryptSmartyFrame, type SmartyKeys } from '../../protocols/dsmr/smarty-frame.js';
import type { LineSettings } from '../../serial/line-settings.js';
import type { SimulatedMeterLine, WireHostSide } from '../wire.js';
import { buildDsmrTelegram, type DsmrVersion } from './dsmr-telegram-builder.js';
import { Household, type HouseholdOptions } from './household-day.js';
import { systemClock, type SimClock } from './sim-clock.js';

export interface SimulatedDsmrOptions {
  readonly version?: DsmrVersion;
  /** Telegram interval; defaults per version (DSMR 5 / e-MUCS 1 s, 4.2 and Smarty 10 s, 2.2 10 s). */
  readonly intervalMs?: number;
  readonly seed?: number;
  readonly clock?: SimClock;
  /** The meter's own clock (defaults to `clock`): give a drifting one for a plausible meter. */
  readonly meterClock?: SimClock;
  readonly household?: Omit<HouseholdOptions, 'seed'>;
  readonly equipmentId?: string;
  /** Smarty only. */
  readonly keys?: SmartyKeys;
  readonly systemTitle?: Uint8Array;
  /** Bytes per fromMeter() call (a UART trickles; the adapter collects). */
  readonly pieceSize?: number;
}

/** DSMR 2.2 runs 9600 7E1 (§ P1 v2.2); 4.x/5.x 115200 8N1. */
export function dsmrLineSettings(version: DsmrVersion): LineSettings {
  return version === '2.2'
    ? { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 }
    : { baudRate: 115_200, dataBits: 8, parity: 'none', stopBits: 1 };
}

/**
 * A DSMR P1 port: pushes a telegram every interval while attached (P1 is send-only: what the
 * host writes is ignored, as the port's RX line only means "request data", held by the cable).
 */
export class SimulatedDsmrMeter implements SimulatedMeterLine {
  readonly version: DsmrVersion;
  readonly settings: LineSettings;
  readonly intervalMs: number;
  readonly household: Household;
  readonly #clock: SimClock;
  readonly #meterClock: SimClock;
  readonly #o: SimulatedDsmrOptions;
  #host: WireHostSide | null = null;
  #cancel: (() => void) | null = null;
  #frameCounter = 1;
  #chain: Promise<void> = Promise.resolve();
  sent = 0;

  constructor(options: SimulatedDsmrOptions = {}) {
    this.#o = options;
    this.version = options.version ?? '5.0';
    this.settings = dsmrLineSettings(this.version);
    this.intervalMs = options.intervalMs ?? (this.version === '5.0' || this.version === 'e-mucs' ? 1000 : 10_000);
    this.#clock = options.clock ?? systemClock;
    this.#meterClock = options.meterClock ?? this.#clock;
    this.household = new Household({ seed: options.seed ?? 1, ...options.household });
  }

  /** The telegram the meter would send now (text; Smarty frames wrap these bytes). */
  telegram(at = this.#clock.now()): string {
    return buildDsmrTelegram({
      version: this.version,
      state: this.household.at(at),
      meterTime: Math.floor(this.#meterClock.now() / 1000) * 1000,
      equipmentId: this.#o.equipmentId ?? 'E0025000123456789',
      gasId: 'G0031000987654321',
      powerFailures: 3,
    });
  }

  attach(host: WireHostSide): void {
    this.#host = host;
    this.#schedule();
  }

  #schedule(): void {
    this.#cancel?.();
    this.#cancel = this.#clock.after(this.intervalMs, () => {
      this.sendOnce();
      if (this.#host) this.#schedule();
    });
  }

  /** Send one telegram now. */
  sendOnce(): void {
    const host = this.#host;
    if (!host) return;
    const text = new TextEncoder().encode(this.telegram());
    if (this.version === 'smarty') {
      const keys = this.#o.keys;
      if (!keys) throw new Error('A Smarty meter needs keys');
      const title = this.#o.systemTitle ?? new TextEncoder().encode('SAG10305');
      const fc = this.#frameCounter++;
      this.#chain = this.#chain.then(async () => {
        const frame = await encryptSmartyFrame(text, keys, title, fc);
        if (this.#host === host) this.#send(host, frame);
      });
      return;
    }
    this.#send(host, text);
  }

  #send(host: WireHostSide, bytes: Uint8Array): void {
    const piece = this.#o.pieceSize ?? 256;
    for (let off = 0; off < bytes.length; off += piece) host.fromMeter(bytes.subarray(off, off + piece), this.settings);
    this.sent++;
  }

  toMeter(_bytes: Uint8Array, _sentWith: LineSettings): void {
    // P1 is output-only.
  }

  detach(): void {
    this.#host = null;
    this.#cancel?.();
    this.#cancel = null;
  }
}
