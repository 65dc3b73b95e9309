import type { LineSettings } from '../../serial/line-settings.js';
import { CH34X } from '../../usb/ch34x.js';
import { ch34xBaudFromRegisters, ch34xLineFromLcr } from '../../usb/ch34x-baud.js';
import type { UsbControlSetup } from '../../usb/usb-device.js';
import { SimulatedUsbAdapter, Stall } from './simulated-usb-adapter.js';

type Stage = 'power' | 'versioned' | 'init' | 'running';

/** Registers the chip has (CH341DS1 and Linux ch341.c), with their power-on values. */
const REGISTERS: Readonly<Record<number, number>> = {
  0x05: 0x01, // break control: bit 0 set = no break (Linux ch341_break_ctl clears it to send one)
  0x06: 0xfc, // modem status, active-low: CTS and DSR asserted (read only)
  0x07: 0xee, // (read only)
  0x0f: 0x00,
  0x12: 0x00, // prescaler
  0x13: 0x00, // divisor, 0x100 − div
  0x18: 0x00, // LCR
  0x25: 0x00, // LCR2 (zero on chips from version 0x30)
  0x2c: 0x00, // divisor low byte (WCH's and Android's drivers write it; Linux does not)
};
const READ_ONLY = new Set([0x06, 0x07]);

/**
 * A CH340G as WCH's and Linux's drivers expect it: the version read, SERIAL_INIT, then register
 * writes for the divisor and the LCR. The UART runs once SERIAL_INIT, a divisor and an LCR with
 * receiver and transmitter enabled are in place — Linux's ch341 stops there; WCH's own init
 * (replayed by Android's driver and ours) adds a second SERIAL_INIT, accepted but not needed.
 * Registers are read and written in pairs (wValue = second << 8 | first), as the chip does.
 * Without bit 7 in the prescaler byte the chip holds received bytes until a full 32-byte packet
 * is ready (the CH341A quirk Linux ch341.c documents).
 */
export class SimulatedCh34x extends SimulatedUsbAdapter {
  stage: Stage = 'power';
  readonly regs = new Map<number, number>(Object.entries(REGISTERS).map(([k, v]) => [Number(k), v]));
  modemCtrl = 0xffff;

  constructor(options: { serialNumber?: string | null; productId?: number } = {}) {
    super({
      vendorId: 0x1a86,
      productId: options.productId ?? 0x7523,
      bcdDevice: 0x0254,
      bcdUsb: 0x0110,
      deviceClass: 0xff,
      manufacturer: 'QinHeng Electronics',
      product: 'USB Serial',
      // Most CH340 cables have no serial number string: discovery must cope.
      serialNumber: options.serialNumber === undefined ? null : options.serialNumber,
      interfaces: [
        {
          interfaceNumber: 0,
          alternate: {
            alternateSetting: 0,
            interfaceClass: 0xff,
            interfaceSubclass: 1,
            interfaceProtocol: 2,
            endpoints: [
              { endpointNumber: 2, direction: 'in', type: 'bulk', packetSize: 32 },
              { endpointNumber: 2, direction: 'out', type: 'bulk', packetSize: 32 },
              { endpointNumber: 1, direction: 'in', type: 'interrupt', packetSize: 8 },
            ],
          },
        },
      ],
    });
  }

  #reg(n: number): number {
    return this.regs.get(n) ?? 0;
  }

  /** WRITE_REG 0x1312's wIndex as last written: divisor << 8 | prescaler. */
  get reg1312(): number {
    return (this.#reg(0x13) << 8) | this.#reg(0x12);
  }

  get reg0f2c(): number {
    return this.#reg(0x2c);
  }

  get lcr(): number {
    return this.#reg(0x18);
  }

  protected uartSettings(): LineSettings | null {
    if (this.stage !== 'init' && this.stage !== 'running') return null;
    const baud = ch34xBaudFromRegisters(this.reg1312, this.reg0f2c);
    const line = ch34xLineFromLcr(this.lcr);
    if (!baud || !line || (this.lcr & 0xc0) !== 0xc0) return null;
    return { baudRate: baud, ...line } as LineSettings;
  }

  protected resetChip(): void {
    this.stage = 'power';
    for (const [k, v] of Object.entries(REGISTERS)) this.regs.set(Number(k), v);
    this.modemCtrl = 0xffff;
    this.rx = [];
  }

  protected override takeIn(length: number, timerFired: boolean): Uint8Array | null {
    if ((this.#reg(0x12) & 0x80) === 0 && this.rx.length < 32) return null;
    return super.takeIn(length, timerFired);
  }

  protected controlOutRequest(s: UsbControlSetup, data: Uint8Array): void {
    this.#check(s, data);
    switch (s.request) {
      case CH34X.SERIAL_INIT:
        if (this.stage === 'power') throw new Stall('SERIAL_INIT before READ_VERSION');
        if (s.value === 0 && s.index === 0) {
          this.stage = 'init';
          return;
        }
        if (s.value === 0x501f && s.index === 0xd90a) {
          if (this.stage === 'versioned' || this.#reg(0x13) === 0) throw new Stall('second SERIAL_INIT before the first one and a divisor');
          this.stage = 'running';
          return;
        }
        throw new Stall(`SERIAL_INIT ${s.value.toString(16)}/${s.index.toString(16)}`);
      case CH34X.WRITE_REG: {
        if (this.stage === 'power' || this.stage === 'versioned') throw new Stall('WRITE_REG before SERIAL_INIT');
        const first = s.value & 0xff;
        const second = s.value >> 8;
        for (const r of [first, second]) {
          if (!this.regs.has(r) || READ_ONLY.has(r)) throw new Stall(`WRITE_REG ${s.value.toString(16)}: no writable register ${r.toString(16)}`);
        }
        if (first === 0x18 && !ch34xLineFromLcr(s.index & 0xff)) throw new Stall(`LCR ${s.index.toString(16)}`);
        if (first === 0x2c && second === 0x0f && s.index > 0xff) throw new Stall('0x0F2C takes one byte');
        this.regs.set(first, s.index & 0xff);
        this.regs.set(second, s.index >> 8);
        return;
      }
      case CH34X.MODEM_CTRL:
        if (this.stage === 'power' || this.stage === 'versioned') throw new Stall('MODEM_CTRL before SERIAL_INIT');
        this.modemCtrl = s.value;
        return;
      default:
        throw new Stall(`CH34x has no OUT request ${s.request.toString(16)}`);
    }
  }

  protected controlInRequest(s: UsbControlSetup, length: number): Uint8Array {
    this.#check(s, new Uint8Array(0));
    if (s.request === CH34X.READ_VERSION) {
      if (length < 2) throw new Stall('READ_VERSION returns 2 bytes');
      if (this.stage === 'power') this.stage = 'versioned';
      return Uint8Array.of(0x31, 0x00);
    }
    if (s.request === CH34X.READ_REG) {
      if (this.stage === 'power') throw new Stall('READ_REG before READ_VERSION');
      const first = s.value & 0xff;
      const second = s.value >> 8;
      // A single register is read as the pair (register, 0): Linux reads the break register as 0x0005.
      if (!this.regs.has(first) || (second !== 0 && !this.regs.has(second))) throw new Stall(`READ_REG ${s.value.toString(16)}`);
      return Uint8Array.of(this.#reg(first), second === 0 ? 0 : this.#reg(second));
    }
    throw new Stall(`CH34x has no IN request ${s.request.toString(16)}`);
  }

  #check(s: UsbControlSetup, data: Uint8Array): void {
    if (s.requestType !== 'vendor' || s.recipient !== 'device') throw new Stall(`CH34x takes vendor requests to the device, got ${s.requestType}/${s.recipient}`);
    if (data.length) throw new Stall('CH34x OUT requests carry no data');
  }
}
