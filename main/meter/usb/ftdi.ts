import { WattletError } from '../../api/errors.js';
import type { LineSettings } from '../serial/line-settings.js';
import type { LineErrorCounts } from '../serial/serial-port.js';
import { claimInterface, controlIn, controlOut } from './control.js';
import { ftdiBaudDivisor, ftdiChipFromBcd, type FtdiChip } from './ftdi-baud.js';
import { activeConfiguration, bcdDevice, type UsbDeviceLike } from './usb-device.js';
import type { SerialSignals, UsbSerialDriver } from './usb-serial-port.js';

/** FTDI vendor requests (AN232B-05 / ftdi_sio.h SIO_*). */
export const FTDI = {
  RESET: 0,
  MODEM_CTRL: 1,
  SET_FLOW_CTRL: 2,
  SET_BAUD_RATE: 3,
  SET_DATA: 4,
  GET_MODEM_STATUS: 5,
  SET_LATENCY_TIMER: 9,
  GET_LATENCY_TIMER: 10,
  RESET_SIO: 0,
  PURGE_RX: 1,
  PURGE_TX: 2,
} as const;

/** Line status byte (byte 1 of every IN packet) error bits. */
export const FTDI_LSR = { OE: 0x02, PE: 0x04, FE: 0x08, BI: 0x10 } as const;

const PARITY_CODE = { none: 0, odd: 1, even: 2, mark: 3, space: 4 } as const;
const STOP_CODE = { 1: 0, 1.5: 1, 2: 2 } as const;

/** SET_DATA wValue: data bits, parity (bits 8-10), stop bits (11-13), break (bit 14). */
export function ftdiDataValue(s: LineSettings, brk = false): number {
  return s.dataBits | (PARITY_CODE[s.parity] << 8) | (STOP_CODE[s.stopBits] << 11) | (brk ? 0x4000 : 0);
}

export interface FtdiOptions {
  /** Latency timer in ms (1..255). 16 is the chip default; lower trades USB traffic for latency. */
  readonly latencyMs?: number;
}

/**
 * FTDI FT232R / FT230X / FT232BM and the first port of FT2232. The chip needs no init beyond a
 * reset; every bulk IN max-packet starts with two status bytes that must be stripped, and with
 * no data it still answers every latency period with a bare 2-byte packet.
 */
export class FtdiDriver implements UsbSerialDriver {
  readonly family = 'ftdi' as const;
  readonly chip: FtdiChip;
  readonly interfaceNumber = 0;
  /** wIndex port: 1 = port A. Single-port chips ignore it; multi-port chips need it. */
  readonly port = 1;
  readonly inEndpoint: number;
  readonly outEndpoint: number;
  readonly packetSize: number;
  readonly inLength: number;
  #line: LineSettings | null = null;
  #brk = false;
  #claimed = false;

  constructor(
    readonly device: UsbDeviceLike,
    readonly options: FtdiOptions = {},
  ) {
    this.chip = ftdiChipFromBcd(bcdDevice(device));
    const iface = activeConfiguration(device)?.interfaces.find((i) => i.interfaceNumber === this.interfaceNumber);
    const eps = iface?.alternate.endpoints ?? [];
    const bulkIn = eps.find((e) => e.type === 'bulk' && e.direction === 'in');
    const bulkOut = eps.find((e) => e.type === 'bulk' && e.direction === 'out');
    this.inEndpoint = bulkIn?.endpointNumber ?? 1;
    this.outEndpoint = bulkOut?.endpointNumber ?? 2;
    this.packetSize = bulkIn?.packetSize ?? 64;
    // Whole max-packets only: the status bytes sit at every packetSize boundary of the buffer.
    this.inLength = this.packetSize * 8;
  }

  async open(settings: LineSettings): Promise<void> {
    await claimInterface(this.device, this.interfaceNumber);
    this.#claimed = true;
    await this.#out(FTDI.RESET, FTDI.RESET_SIO);
    await this.#out(FTDI.RESET, FTDI.PURGE_RX);
    await this.#out(FTDI.RESET, FTDI.PURGE_TX);
    const latency = this.options.latencyMs ?? 16;
    if (!Number.isInteger(latency) || latency < 1 || latency > 255) throw new RangeError(`latency must be 1..255 ms, got ${latency}`);
    await this.#out(FTDI.SET_LATENCY_TIMER, latency);
    await this.#out(FTDI.SET_FLOW_CTRL, 0);
    await this.setLineSettings(settings);
    await this.setSignals({ dtr: true, rts: true });
  }

  async setLineSettings(settings: LineSettings): Promise<void> {
    let divisor;
    try {
      divisor = ftdiBaudDivisor(settings.baudRate, this.chip, this.port);
    } catch (e) {
      throw new WattletError('METER_LINE_SETTINGS_UNSUPPORTED', `FTDI ${this.chip} cannot run at ${settings.baudRate} baud`, {
        family: 'ftdi',
        chip: this.chip,
        baudRate: settings.baudRate,
        reason: e instanceof Error ? e.message : String(e),
      });
    }
    await controlOut(this.device, { requestType: 'vendor', recipient: 'device', request: FTDI.SET_BAUD_RATE, value: divisor.value, index: divisor.index });
    await this.#out(FTDI.SET_DATA, ftdiDataValue(settings, this.#brk));
    this.#line = settings;
  }

  async setSignals(signals: SerialSignals): Promise<void> {
    // hi byte = which lines to change, lo byte = their new level
    let value = 0;
    if (signals.dtr !== undefined) value |= 0x0100 | (signals.dtr ? 0x01 : 0);
    if (signals.rts !== undefined) value |= 0x0200 | (signals.rts ? 0x02 : 0);
    if (value) await this.#out(FTDI.MODEM_CTRL, value);
    if (signals.brk !== undefined && this.#line) {
      this.#brk = signals.brk;
      await this.#out(FTDI.SET_DATA, ftdiDataValue(this.#line, this.#brk));
    }
  }

  /** Modem status byte (CTS 0x10, DSR 0x20, RI 0x40, DCD 0x80). */
  async modemStatus(): Promise<number> {
    const b = await controlIn(this.device, { requestType: 'vendor', recipient: 'device', request: FTDI.GET_MODEM_STATUS, value: 0, index: this.port }, 2);
    return b[0] ?? 0;
  }

  async latencyTimer(): Promise<number> {
    const b = await controlIn(this.device, { requestType: 'vendor', recipient: 'device', request: FTDI.GET_LATENCY_TIMER, value: 0, index: this.port }, 1);
    return b[0] ?? 0;
  }

  decode(transfer: Uint8Array, errors: LineErrorCounts): Uint8Array {
    // A bare 2-byte packet is the latency-timer heartbeat: status only, no data.
    if (transfer.length <= 2) {
      if (transfer.length === 2) countLineStatus(transfer[1]!, errors);
      return new Uint8Array(0);
    }
    const out = new Uint8Array(transfer.length);
    let n = 0;
    for (let off = 0; off < transfer.length; off += this.packetSize) {
      const end = Math.min(off + this.packetSize, transfer.length);
      if (end - off < 2) break; // a truncated status header carries nothing usable
      countLineStatus(transfer[off + 1]!, errors);
      out.set(transfer.subarray(off + 2, end), n);
      n += end - off - 2;
    }
    return out.subarray(0, n);
  }

  async release(): Promise<void> {
    if (!this.#claimed) return;
    this.#claimed = false;
    await this.device.releaseInterface(this.interfaceNumber);
  }

  #out(request: number, value: number): Promise<void> {
    return controlOut(this.device, { requestType: 'vendor', recipient: 'device', request, value, index: this.port });
  }
}

function countLineStatus(lsr: number, errors: LineErrorCounts): void {
  if (lsr & FTDI_LSR.OE) errors.overrun++;
  if (lsr & FTDI_LSR.PE) errors.parity++;
  if (lsr & FTDI_LSR.FE) errors.framing++;
  if (lsr & FTDI_LSR.BI) errors.break++;
}
