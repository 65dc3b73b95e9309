import type { LineSettings } from '../../serial/line-settings.js';
import { decodeLineCoding } from '../../usb/line-coding.js';
import type { UsbControlSetup } from '../../usb/usb-device.js';
import { SimulatedUsbAdapter, Stall, type RxByte } from './simulated-usb-adapter.js';

type Step = readonly ['r' | 'w', number, number];

/** Prolific's open sequence (ProlificSerialDriver.doBlackMagic; Linux pl2303_startup). */
const BLACK_MAGIC: readonly Step[] = [
  ['r', 0x8484, 0], ['w', 0x0404, 0], ['r', 0x8484, 0], ['r', 0x8383, 0], ['r', 0x8484, 0],
  ['w', 0x0404, 1], ['r', 0x8484, 0], ['r', 0x8383, 0], ['w', 0, 1], ['w', 1, 0], ['w', 2, 0x44],
];

export type SimulatedPl2303Type = 'hx' | 'ta' | 'hxn';

/** What GET_LINE_REQUEST answers before the host set a line coding: 9600 8N1. */
const POWER_ON_LINE: LineSettings = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 };
/** HX vendor register 0 holds the flow control in bits 4-7 (Linux PL2303_FLOWCTRL_MASK). */
const HX_FLOW_REGISTER = 0;
/** G-series (HXN) registers Linux reads and writes with requests 0x81/0x80: reset and flow control. */
const HXN_RESET = 0x07;
const HXN_FLOW = 0x0a;

/**
 * A PL2303HX (bcdUSB 1.1, bcdDevice 3.00), PL2303TA (bcdUSB 2.0, bcdDevice 3.00) or a G-series
 * "HXN" (bcdUSB 2.0; GC 1.00, GT 3.00 — the latter only told from a TA by probing). The
 * HX refuses SET_LINE_CODING until the vendor sequence has run in order; the HXN refuses the
 * legacy vendor request 0x01 altogether (which is how drivers tell it apart).
 */
export class SimulatedPl2303 extends SimulatedUsbAdapter {
  readonly type: SimulatedPl2303Type;
  magicStep = 0;
  line: LineSettings | null = null;
  controlLines = 0;
  /** Vendor registers as written after the init sequence (HX: 0 flow control; HXN: 0x0a flow control). */
  readonly registers = new Map<number, number>();

  constructor(options: { type?: SimulatedPl2303Type; serialNumber?: string | null; bcdDevice?: number } = {}) {
    const type = options.type ?? 'hx';
    super({
      vendorId: 0x067b,
      productId: type === 'hxn' ? 0x23a3 : 0x2303,
      bcdDevice: options.bcdDevice ?? (type === 'hxn' ? 0x0100 : 0x0300),
      bcdUsb: type === 'hx' ? 0x0110 : 0x0200,
      deviceClass: 0,
      manufacturer: 'Prolific Technology Inc.',
      product: 'USB-Serial Controller',
      serialNumber: options.serialNumber === undefined ? null : options.serialNumber,
      interfaces: [
        {
          interfaceNumber: 0,
          alternate: {
            alternateSetting: 0,
            interfaceClass: 0xff,
            interfaceSubclass: 0,
            interfaceProtocol: 0,
            endpoints: [
              { endpointNumber: 1, direction: 'in', type: 'interrupt', packetSize: 10 },
              { endpointNumber: 2, direction: 'out', type: 'bulk', packetSize: 64 },
              { endpointNumber: 3, direction: 'in', type: 'bulk', packetSize: 64 },
            ],
          },
        },
      ],
    });
    this.type = type;
  }

  get initialized(): boolean {
    return this.type === 'hxn' || this.magicStep === BLACK_MAGIC.length;
  }

  protected uartSettings(): LineSettings | null {
    return this.initialized ? this.line : null;
  }

  /** Line errors reach the host as a status packet on the interrupt endpoint (byte 8). */
  protected override charactersReceived(chars: readonly RxByte[]): void {
    let state = 0x02 | 0x80; // DSR, CTS
    if (chars.some((c) => c.framing)) state |= 0x10;
    if (chars.some((c) => c.parity)) state |= 0x20;
    if (chars.some((c) => c.overrun)) state |= 0x40;
    if ((state & 0x70) === 0) return;
    this.notify(Uint8Array.of(0xa1, 0x20, 0, 0, 0, 0, 2, 0, state, 0));
  }

  protected resetChip(): void {
    this.magicStep = 0;
    this.line = null;
    this.controlLines = 0;
    this.registers.clear();
    this.rx = [];
  }

  protected controlOutRequest(s: UsbControlSetup, data: Uint8Array): void {
    if (s.requestType === 'class') return this.#classOut(s, data);
    if (s.requestType !== 'vendor' || s.recipient !== 'device') throw new Stall(`unexpected ${s.requestType}/${s.recipient}`);
    if (this.type === 'hxn') {
      if (s.request !== 0x80) throw new Stall(`HXN has no vendor request ${s.request}`);
      if (!((s.value === HXN_RESET && s.index <= 3) || s.value === HXN_FLOW)) throw new Stall(`HXN write ${s.value}`);
      if (s.value === HXN_RESET) this.rx = [];
      else this.registers.set(s.value, s.index & 0xff);
      return;
    }
    if (s.request !== 0x01) throw new Stall(`HX vendor write uses request 0x01, got ${s.request}`);
    if (!this.initialized) return this.#magic('w', s);
    if (s.value === 8 || s.value === 9) {
      this.rx = [];
      return;
    }
    // Register 0: flow control in bits 4-7 — none 0x00, RTS/CTS 0x40 (0x61 from Prolific's
    // driver), automatic XON/XOFF 0xC0 (Linux, when the tty has IXON).
    if (s.value === HX_FLOW_REGISTER && s.index <= 0xff) {
      this.registers.set(HX_FLOW_REGISTER, s.index);
      return;
    }
    throw new Stall(`HX vendor write ${s.value.toString(16)}`);
  }

  protected controlInRequest(s: UsbControlSetup, length: number): Uint8Array {
    if (s.requestType === 'class' && s.request === 0x21 && this.initialized) {
      // GET_LINE_REQUEST: the coding in effect, the power-on one until the host set another
      // (Linux's pl2303 reads it before every SET_LINE_REQUEST).
      const l = this.line ?? POWER_ON_LINE;
      return Uint8Array.of(l.baudRate & 0xff, (l.baudRate >> 8) & 0xff, (l.baudRate >> 16) & 0xff, l.baudRate >>> 24, [1, 1.5, 2].indexOf(l.stopBits), ['none', 'odd', 'even', 'mark', 'space'].indexOf(l.parity), l.dataBits);
    }
    if (this.type === 'hxn') {
      if (s.requestType !== 'vendor' || s.request !== 0x81) throw new Stall(`HXN has no IN request ${s.request}`);
      if (length !== 1) throw new Stall('vendor read returns 1 byte');
      if (s.value !== HXN_FLOW) throw new Stall(`HXN read ${s.value.toString(16)}`);
      // Power-on flow control: none (Linux PL2303_HXN_FLOWCTRL_NONE).
      return Uint8Array.of(this.registers.get(HXN_FLOW) ?? 0x1c);
    }
    if (s.requestType !== 'vendor' || s.request !== 0x01) throw new Stall(`no IN request ${s.request}`);
    if (length !== 1) throw new Stall('vendor read returns 1 byte');
    // The HX status read (0x8080) answers at any time: drivers use it to tell TA/TB from HXN.
    if (s.value === 0x8080) return Uint8Array.of(0x00);
    if (!this.initialized) this.#magic('r', s);
    if (s.value === (0x80 | HX_FLOW_REGISTER)) return Uint8Array.of(this.registers.get(HX_FLOW_REGISTER) ?? 0x00);
    return Uint8Array.of(s.value === 0x8484 ? 0x02 : 0x00);
  }

  #magic(dir: 'r' | 'w', s: UsbControlSetup): void {
    const expected = BLACK_MAGIC[this.magicStep]!;
    if (expected[0] !== dir || expected[1] !== s.value || expected[2] !== s.index) {
      const got = `${dir} ${s.value.toString(16)}/${s.index.toString(16)}`;
      const want = `${expected[0]} ${expected[1].toString(16)}/${expected[2].toString(16)}`;
      const step = this.magicStep + 1;
      this.magicStep = 0; // the chip must see the whole sequence again
      throw new Stall(`init step ${step}: expected ${want}, got ${got}`);
    }
    this.magicStep++;
  }

  #classOut(s: UsbControlSetup, data: Uint8Array): void {
    if (s.recipient !== 'interface' || s.index !== 0) throw new Stall('class requests go to interface 0');
    switch (s.request) {
      case 0x20: {
        if (!this.initialized) throw new Stall('SET_LINE_CODING before the vendor init sequence');
        const c = decodeLineCoding(data);
        if (!c || (c.dataBits !== 7 && c.dataBits !== 8)) throw new Stall('bad line coding');
        let baud = c.rateField;
        if (baud & 0x80000000) {
          if (this.type !== 'hx') throw new Stall(`${this.type} does not take the HX divisor encoding`);
          const mantissa = baud & 0x1ff;
          const exponent = (baud >> 9) & 7;
          baud = Math.round(384_000_000 / (mantissa * 4 ** exponent));
        }
        this.line = { baudRate: baud, dataBits: c.dataBits, parity: c.parity, stopBits: c.stopBits };
        return;
      }
      case 0x22:
        this.controlLines = s.value & 3;
        return;
      case 0x23:
        return;
      default:
        throw new Stall(`PL2303 has no class request ${s.request}`);
    }
  }
}
