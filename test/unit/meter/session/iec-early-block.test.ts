import { describe, expect, it } from 'vitest';
import type { Reading } from '../../../../main/meter/reading.js';
import { LINE_7E1_300, sameLine, type LineSettings } from '../../../../main/meter/serial/line-settings.js';
import type { SerialPort, SerialPortStats } from '../../../../main/meter/serial/serial-port.js';
import { uartReceive } from '../../../../main/meter/sim/adapters/uart-wire.js';
import { SimulatedIec62056Meter } from '../../../../main/meter/sim/meters/simulated-iec62056-meter.js';
import { MeterSession } from '../../../../main/meter/session/meter-session.js';

/**
 * An adapter whose speed change reaches the chip before the host's request completes: the USB
 * control transfer (SET_BAUD_RATE) is done on the chip, its completion still on the way back —
 * as on a loaded host, where the QEMU FTDI test saw the meter's data block arrive in between.
 */
class SlowSwitchPort implements SerialPort {
  readonly path = 'usb' as const;
  readonly family = 'ftdi';
  readonly stats: SerialPortStats = { bytesIn: 0, bytesOut: 0, lineErrors: { overrun: 0, parity: 0, framing: 0, break: 0 } };
  settings: LineSettings | null = null;
  #chip: LineSettings = LINE_7E1_300;
  readonly #data = new Set<(b: Uint8Array) => void>();

  /** What the meter sent at a speed the chip is not at yet: a real line would garble it; here it waits. */
  #early: { bytes: Uint8Array; sentWith: LineSettings }[] = [];

  constructor(readonly meter: SimulatedIec62056Meter) {
    meter.attach({
      fromMeter: (bytes, sentWith) => {
        this.#early.push({ bytes: bytes.slice(), sentWith });
        this.#deliver();
      },
    });
  }

  #deliver(): void {
    const ready = this.#early.filter((c) => sameLine(c.sentWith, this.#chip));
    this.#early = this.#early.filter((c) => !ready.includes(c));
    for (const c of ready) {
      const heard = Uint8Array.from(uartReceive(c.bytes, c.sentWith, this.#chip), (x) => x.value);
      this.stats.bytesIn += heard.length;
      for (const l of [...this.#data]) l(heard);
    }
  }

  async open(s: LineSettings): Promise<void> {
    this.#chip = s;
    this.settings = s;
  }

  async setLineSettings(s: LineSettings): Promise<void> {
    this.#chip = s;
    setImmediate(() => this.#deliver()); // the chip now hears the meter at this speed
    await new Promise((r) => setTimeout(r, 150));
    this.settings = s;
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.meter.toMeter(bytes, this.#chip);
  }

  async setSignals(): Promise<void> {}

  onData(l: (b: Uint8Array) => void): () => void {
    this.#data.add(l);
    return () => this.#data.delete(l);
  }

  onError(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.meter.detach();
  }
}

describe('IEC 62056-21 poller', () => {
  it('takes a data block that arrives while its own speed change is still completing', async () => {
    // The meter switches 20 ms after the option select (a quick one), before the host's request returns.
    const meter = new SimulatedIec62056Meter({ baudChar: '5', switchDelayMs: 20 });
    const readings: Reading[] = [];
    const session = new MeterSession({
      openPort: async () => new SlowSwitchPort(meter),
      target: { protocol: 'iec62056-21', line: LINE_7E1_300 },
      timing: { pollMs: 60_000, answerTimeoutMs: 1000 },
      backoff: { initialMs: 60_000 },
    });
    session.onReading((r) => readings.push(r));
    session.start();
    const t0 = Date.now();
    while (readings.length === 0 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
    await session.dispose();
    expect(readings.length).toBe(1);
  });
});
