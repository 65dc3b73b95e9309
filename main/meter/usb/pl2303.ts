import { WattletError } from '../../api/errors.js';
import type { LineSettings } from '../serial/line-settings.js';
import type { LineErrorCounts } from '../serial/serial-port.js';
import { claimInterface, controlIn, controlOut } from './control.js';
import { encodeLineCoding } from './line-coding.js';
import { activeConfiguration, bcdDevice, bcdUsb, type UsbDeviceLike } from './usb-device.js';
import type { SerialSignals, UsbSerialDriver } from './usb-serial-port.js';

export type Pl2303Type = '01' | 'hx' | 't' | 'hxn';

/** Rates the chip runs exactly when sent as plain integers (Linux pl2303.c baud_sup[]). */
export const PL2303_STANDARD_RATES = [
  75, 150, 300, 600, 1200, 1800, 2400, 3600, 4800, 7200, 9600, 14400, 19200, 28800, 38400, 57600, 115200, 230400, 460800,
  614400, 921600, 1228800, 2457600, 3000000, 6000000,
] as const;

/** Non-standard rates on HX: 384 MHz / mantissa with a base-4 exponent (pl2303_encode_baud_rate_divisor). */
export function pl2303DivisorRate(baud: number): number {
  let mantissa = Math.max(1, Math.floor(384_000_000 / baud));
  let exponent = 0;
  while (mantissa >= 512) {
    if (exponent < 7) {
      mantissa >>= 2;
      exponent++;
    } else {
      mantissa = 511;
      break;
    }
  }
  return (0x80000000 | (exponent << 9) | mantissa) >>> 0;
}

export function pl2303RateField(baud: number, type: Pl2303Type): number {
  if (type === 'hxn' || (PL2303_STANDARD_RATES as readonly number[]).includes(baud)) return baud;
  if (type === 'hx') return pl2303DivisorRate(baud);
  throw new RangeError(`PL2303 type ${type} runs only the standard rates`);
}

/**
 * Prolific PL2303 HX/TA/TB/G(HXN). Type detection follows Linux pl2303_detect_type / Android
 * ProlificSerialDriver; the "black magic" vendor sequence is what Prolific's Windows driver
 * sends at open — older chips do not move data without it. HXN (PL2303G) dropped it and moved
 * the vendor requests to 0x80/0x81.
 */
export class Pl2303Driver implements UsbSerialDriver {
  readonly family = 'pl2303' as const;
  readonly inEndpoint: number;
  readonly outEndpoint: number;
  readonly inLength: number;
  readonly notifyEndpoint: number | undefined;
  type: Pl2303Type = 'hx';
  #claimed = false;
  #dtr = false;
  #rts = false;

  constructor(readonly device: UsbDeviceLike) {
    const eps = activeConfiguration(device)?.interfaces[0]?.alternate.endpoints ?? [];
    const bulkIn = eps.find((e) => e.type === 'bulk' && e.direction === 'in');
    this.inEndpoint = bulkIn?.endpointNumber ?? 3;
    this.outEndpoint = eps.find((e) => e.type === 'bulk' && e.direction === 'out')?.endpointNumber ?? 2;
    this.inLength = (bulkIn?.packetSize ?? 64) * 4;
    this.notifyEndpoint = eps.find((e) => e.type === 'interrupt' && e.direction === 'in')?.endpointNumber;
  }

  async open(settings: LineSettings): Promise<void> {
    await claimInterface(this.device, 0);
    this.#claimed = true;
    this.type = await this.#detectType();
    if (this.type !== 'hxn') {
      await this.#vendorIn(0x8484);
      await this.#vendorOut(0x0404, 0);
      await this.#vendorIn(0x8484);
      await this.#vendorIn(0x8383);
      await this.#vendorIn(0x8484);
      await this.#vendorOut(0x0404, 1);
      await this.#vendorIn(0x8484);
      await this.#vendorIn(0x8383);
      await this.#vendorOut(0, 1);
      await this.#vendorOut(1, 0);
      await this.#vendorOut(2, this.type === '01' ? 0x24 : 0x44);
    }
    await this.#purge();
    await (this.type === 'hxn' ? this.#vendorOut(0x0a, 0xff) : this.#vendorOut(0, 0)); // no flow control
    await this.setLineSettings(settings);
    await this.setSignals({ dtr: true, rts: true });
  }

  async setLineSettings(settings: LineSettings): Promise<void> {
    let field: number;
    try {
      field = pl2303RateField(settings.baudRate, this.type);
    } catch (e) {
      throw new WattletError('METER_LINE_SETTINGS_UNSUPPORTED', `PL2303 ${this.type} cannot run at ${settings.baudRate} baud`, {
        family: 'pl2303',
        type: this.type,
        baudRate: settings.baudRate,
        reason: e instanceof Error ? e.message : String(e),
      });
    }
    await controlOut(this.device, { requestType: 'class', recipient: 'interface', request: 0x20, value: 0, index: 0 }, encodeLineCoding(settings, field));
    await this.#purge(); // as Android does: bytes received at the old speed are garbage now
  }

  async setSignals(signals: SerialSignals): Promise<void> {
    if (signals.dtr !== undefined || signals.rts !== undefined) {
      this.#dtr = signals.dtr ?? this.#dtr;
      this.#rts = signals.rts ?? this.#rts;
      await controlOut(this.device, { requestType: 'class', recipient: 'interface', request: 0x22, value: (this.#dtr ? 1 : 0) | (this.#rts ? 2 : 0), index: 0 });
    }
    if (signals.brk !== undefined) {
      await controlOut(this.device, { requestType: 'class', recipient: 'interface', request: 0x23, value: signals.brk ? 0xffff : 0, index: 0 });
    }
  }

  decode(transfer: Uint8Array): Uint8Array {
    return transfer;
  }

  /**
   * The 10-byte status on the interrupt endpoint; byte 8 is the UART state (Linux pl2303.c
   * UART_*): BREAK 0x04, FRAME 0x10, PARITY 0x20, OVERRUN 0x40 are one-shot error bits.
   */
  decodeNotification(packet: Uint8Array, errors: LineErrorCounts): void {
    if (packet.length < 10) return;
    const state = packet[8]!;
    if (state & 0x04) errors.break++;
    if (state & 0x10) errors.framing++;
    if (state & 0x20) errors.parity++;
    if (state & 0x40) errors.overrun++;
  }

  async release(): Promise<void> {
    if (!this.#claimed) return;
    this.#claimed = false;
    await this.device.releaseInterface(0);
  }

  async #detectType(): Promise<Pl2303Type> {
    const d = this.device;
    if (d.deviceClass === 0x02) return '01';
    if (bcdUsb(d) !== 0x0200) return 'hx';
    const bcd = bcdDevice(d);
    if (bcd === 0x0300 || bcd === 0x0500) {
      // TA/TB answer the legacy vendor read; HXN (G-series) stalls it.
      const legacy = await this.#vendorIn(0x8080).then(() => true, () => false);
      if (legacy) return 't';
    }
    return 'hxn';
  }

  async #purge(): Promise<void> {
    if (this.type === 'hxn') {
      await controlOut(this.device, { requestType: 'vendor', recipient: 'device', request: 0x80, value: 0x07, index: 0x03 });
    } else {
      await this.#vendorOut(8, 0);
      await this.#vendorOut(9, 0);
    }
  }

  #vendorOut(value: number, index: number): Promise<void> {
    return controlOut(this.device, { requestType: 'vendor', recipient: 'device', request: this.type === 'hxn' ? 0x80 : 0x01, value, index });
  }

  #vendorIn(value: number): Promise<Uint8Array> {
    return controlIn(this.device, { requestType: 'vendor', recipient: 'device', request: 0x01, value, index: 0 }, 1);
  }
}
