import type { LineSettings } from '../../../main/meter/serial/line-settings.js';
import { ManualClock } from '../../../main/meter/sim/meters/sim-clock.js';
import { SimulatedDsmrMeter } from '../../../main/meter/sim/meters/simulated-dsmr-meter.js';
import type { SimulatedMeterLine, WireHostSide } from '../../../main/meter/sim/wire.js';


/**
 * The project's simulated DSMR 5 meter, paced by the test: its clock only moves when the test
 * calls push(), which advances one telegram interval so the meter sends exactly one telegram
 * (every one with its own meter time and household values). push(cutAt) lets only the first
 * `cutAt` bytes reach the wire — the line dies mid-telegram.
 */
export class PacedDsmrMeter implements SimulatedMeterLine {
  readonly clock = new ManualClock(Date.UTC(2026, 10, 25, 9, 20, 0));
  readonly meter = new SimulatedDsmrMeter({ version: '5.0', clock: this.clock, seed: 10 });
  /** Every telegram the meter produced, whole, and whether the wire got all of it. */
  readonly sent: { bytes: Uint8Array; torn: boolean; delivered: number }[] = [];
  #host: WireHostSide | null = null;
  #collect: Uint8Array[] | null = null;
  #budget = Infinity;

  attach(host: WireHostSide): void {
    this.#host = host;
    this.meter.attach({
      fromMeter: (bytes, sentWith) => {
        this.#collect?.push(bytes.slice());
        const pass = bytes.subarray(0, Math.max(0, Math.min(bytes.length, this.#budget)));
        this.#budget -= pass.length;
        if (pass.length > 0) this.#host?.fromMeter(pass, sentWith);
      },
    });
  }

  push(cutAt?: number): void {
    if (!this.#host) throw new Error('meter not attached');
    this.#collect = [];
    this.#budget = cutAt ?? Infinity;
    this.clock.advance(this.meter.intervalMs);
    const parts = this.#collect;
    this.#collect = null;
    this.#budget = Infinity;
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let off = 0;
    for (const p of parts) {
      bytes.set(p, off);
      off += p.length;
    }
    if (bytes.length === 0) throw new Error('the simulated DSMR meter sent nothing in one interval');
    this.sent.push({ bytes, torn: cutAt !== undefined, delivered: Math.min(bytes.length, cutAt ?? Infinity) });
  }

  toMeter(bytes: Uint8Array, sentWith: LineSettings): void {
    this.meter.toMeter(bytes, sentWith);
  }

  detach(): void {
    this.#host = null;
    this.meter.detach();
  }
}

/**
 * Any simulated meter, with a record of what crossed the wire both ways: the bytes it sent with
 * the settings it sent them at, and what it was sent with the settings the chip was at.
 */
export class RecordingLine<M extends SimulatedMeterLine> implements SimulatedMeterLine {
  readonly fromMeter: { bytes: Uint8Array; sentWith: LineSettings }[] = [];
  readonly toMeterLog: { bytes: Uint8Array; sentWith: LineSettings }[] = [];

  constructor(readonly meter: M) {}

  attach(host: WireHostSide): void {
    this.meter.attach({
      fromMeter: (bytes, sentWith) => {
        this.fromMeter.push({ bytes: bytes.slice(), sentWith });
        host.fromMeter(bytes, sentWith);
      },
    });
  }

  toMeter(bytes: Uint8Array, sentWith: LineSettings): void {
    this.toMeterLog.push({ bytes: bytes.slice(), sentWith });
    this.meter.toMeter(bytes, sentWith);
  }

  detach(): void {
    this.meter.detach();
  }
}
