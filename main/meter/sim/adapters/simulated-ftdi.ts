import type { LineSettings } from '../../serial/line-settings.js';
import { FTDI, FTDI_LSR } from '../../usb/ftdi.js';
import { ftdiChipFromBcd, ftdiDivisorToBaud, isMultiPortChip, type FtdiChip } from '../../usb/ftdi-baud.js';
import type { UsbControlSetup } from '../../usb/usb-device.js';
import { SimulatedUsbAdapter, Stall, type SimDescriptor } from './simulated-usb-adapter.js';

export interface SimulatedFtdiOptions {
  readonly productId?: number;
  /** 0x0600 FT232R (default), 0x1000 FT230X, 0x0500 FT2232C/D, 0x0400 FT232BM. */
  readonly bcdDevice?: number;
  readonly serialNumber?: string | null;
  /** QEMU's emulated FTDI NAKs when idle instead of sending 2-byte status packets. */
  readonly emptyPackets?: boolean;
  readonly packetSize?: number;
}

const PARITIES = ['none', 'odd', 'even', 'mark', 'space'] as const;
/** Modem status byte: low nibble 0x01 on FT232-class chips (QEMU sets it too), CTS|DSR high. */
const MODEM_STATUS = 0x01 | 0x10 | 0x20;
const LSR_IDLE = 0x60; // THRE | TEMT

/**
 * An FTDI FT232R/FT230X/FT2232 as the silicon behaves (AN232B-05, FT232R datasheet §, QEMU
 * hw/usb/dev-serial.c): vendor requests only, baud from the divisor as the chip decodes it,
 * 7 or 8 data bits, 1 or 2 stop bits, every bulk IN max-packet led by modem and line status,
 * short packets held back for the latency timer and a bare status packet when idle.
 */
export class SimulatedFtdi extends SimulatedUsbAdapter {
  readonly chip: FtdiChip;
  readonly packetSize: number;
  readonly emptyPackets: boolean;
  baudRate = 9600;
  dataBits = 8;
  parity: LineSettings['parity'] = 'none';
  stopBits: 1 | 2 = 1;
  latencyMs = 16;
  dtr = false;
  rts = false;
  breakOn = false;

  constructor(options: SimulatedFtdiOptions = {}) {
    const bcd = options.bcdDevice ?? 0x0600;
    const packetSize = options.packetSize ?? 64;
    const port = (n: number) => ({
      interfaceNumber: n,
      alternate: {
        alternateSetting: 0,
        interfaceClass: 0xff,
        interfaceSubclass: 0xff,
        interfaceProtocol: 0xff,
        endpoints: [
          { endpointNumber: 1 + n * 2, direction: 'in' as const, type: 'bulk' as const, packetSize },
          { endpointNumber: 2 + n * 2, direction: 'out' as const, type: 'bulk' as const, packetSize },
        ],
      },
    });
    const chip = ftdiChipFromBcd(bcd);
    const descriptor: SimDescriptor = {
      vendorId: 0x0403,
      productId: options.productId ?? (chip === '230x' ? 0x6015 : chip === '2232c' ? 0x6010 : 0x6001),
      bcdDevice: bcd,
      bcdUsb: 0x0200,
      deviceClass: 0,
      manufacturer: 'FTDI',
      product: 'FT232R USB UART',
      serialNumber: options.serialNumber === undefined ? 'A10KZP1Q' : options.serialNumber,
      interfaces: isMultiPortChip(chip) ? [port(0), port(1)] : [port(0)],
    };
    super(descriptor);
    this.chip = chip;
    this.packetSize = packetSize;
    this.emptyPackets = options.emptyPackets ?? true;
  }

  protected uartSettings(): LineSettings {
    return { baudRate: this.baudRate, dataBits: this.dataBits as 7 | 8, parity: this.parity, stopBits: this.stopBits };
  }

  protected resetChip(): void {
    this.baudRate = 9600;
    this.dataBits = 8;
    this.parity = 'none';
    this.stopBits = 1;
    this.latencyMs = 16;
    this.dtr = this.rts = this.breakOn = false;
    this.rx = [];
  }

  protected override holdMs(): number {
    return this.emptyPackets ? this.latencyMs : 0;
  }

  protected controlOutRequest(s: UsbControlSetup, data: Uint8Array): void {
    if (s.requestType !== 'vendor') throw new Stall(`FTDI answers vendor requests only, got ${s.requestType} ${s.request}`);
    if (data.length !== 0) throw new Stall(`FTDI request ${s.request} carries no data stage`);
    this.#checkPort(s);
    switch (s.request) {
      case FTDI.RESET:
        if (s.value === FTDI.RESET_SIO) this.resetChip();
        else if (s.value === FTDI.PURGE_RX) this.rx = [];
        else if (s.value !== FTDI.PURGE_TX) throw new Stall(`unknown reset ${s.value}`);
        return;
      case FTDI.MODEM_CTRL:
        if (s.value & 0x0100) this.dtr = (s.value & 0x01) !== 0;
        if (s.value & 0x0200) this.rts = (s.value & 0x02) !== 0;
        return;
      case FTDI.SET_FLOW_CTRL:
        if ((s.index & 0xff00) !== 0) throw new Stall('hardware flow control is not wired on a meter cable');
        return;
      case FTDI.SET_BAUD_RATE: {
        const whole = s.value & 0x3fff;
        const code = (s.value >> 14) | ((isMultiPortChip(this.chip) ? s.index >> 8 : s.index) & 1) << 2;
        // AN232B-05: sub-integer divisors below 2 other than 0 (3 MBd) and 1 (2 MBd) are invalid.
        if (whole < 2 && code !== 0) throw new Stall(`invalid divisor ${s.value.toString(16)}`);
        this.baudRate = ftdiDivisorToBaud(s.value, s.index, this.chip);
        return;
      }
      case FTDI.SET_DATA: {
        const bits = s.value & 0xff;
        const parity = PARITIES[(s.value >> 8) & 7];
        const stop = (s.value >> 11) & 7;
        if (bits !== 7 && bits !== 8) throw new Stall(`${bits} data bits: FT232R does 7 or 8`);
        if (!parity) throw new Stall(`parity code ${(s.value >> 8) & 7}`);
        if (stop !== 0 && stop !== 2) throw new Stall(`stop code ${stop}: FT232R does 1 or 2 stop bits`);
        this.dataBits = bits;
        this.parity = parity;
        this.stopBits = stop === 2 ? 2 : 1;
        this.breakOn = (s.value & 0x4000) !== 0;
        return;
      }
      case FTDI.SET_LATENCY_TIMER:
        if (s.value < 1 || s.value > 255) throw new Stall(`latency ${s.value} ms outside 1..255`);
        this.latencyMs = s.value;
        return;
      default:
        throw new Stall(`FTDI has no OUT request ${s.request}`);
    }
  }

  protected controlInRequest(s: UsbControlSetup): Uint8Array {
    if (s.requestType !== 'vendor') throw new Stall(`FTDI answers vendor requests only`);
    this.#checkPort(s);
    if (s.request === FTDI.GET_MODEM_STATUS) return Uint8Array.of(MODEM_STATUS, LSR_IDLE);
    if (s.request === FTDI.GET_LATENCY_TIMER) return Uint8Array.of(this.latencyMs);
    throw new Stall(`FTDI has no IN request ${s.request}`);
  }

  protected override takeIn(length: number, timerFired: boolean): Uint8Array | null {
    const packets = Math.floor(length / this.packetSize);
    if (packets < 1) throw new Stall(`bulk IN of ${length} bytes is shorter than a ${this.packetSize}-byte packet`);
    const perPacket = this.packetSize - 2;
    // The chip sends when a packet is full or the latency timer expires (AN232B-04 §3).
    if (this.rx.length < perPacket && !timerFired) return this.emptyPackets || this.rx.length === 0 ? null : this.#frame(packets);
    if (this.rx.length === 0) return Uint8Array.of(MODEM_STATUS, LSR_IDLE);
    return this.#frame(packets);
  }

  #frame(packets: number): Uint8Array {
    const out: number[] = [];
    for (let k = 0; k < packets && this.rx.length > 0; k++) {
      const chunk = this.rx.splice(0, this.packetSize - 2);
      let lsr = LSR_IDLE | 0x01; // DR: data ready
      for (const b of chunk) {
        if (b.overrun) lsr |= FTDI_LSR.OE;
        if (b.parity) lsr |= FTDI_LSR.PE;
        if (b.framing) lsr |= FTDI_LSR.FE;
      }
      out.push(MODEM_STATUS, lsr, ...chunk.map((b) => b.value));
      if (chunk.length < this.packetSize - 2) break; // a short packet ends the transfer
    }
    return Uint8Array.from(out);
  }

  #checkPort(s: UsbControlSetup): void {
    // Multi-port chips route by the port in wIndex's low byte (1 = A); single-port chips ignore it.
    if (isMultiPortChip(this.chip) && s.request !== FTDI.SET_BAUD_RATE && (s.index & 0xff) !== 1 && (s.index & 0xff) !== 2) {
      throw new Stall(`no port ${s.index & 0xff}`);
    }
  }
}
