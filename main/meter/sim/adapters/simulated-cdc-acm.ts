import type { LineSettings } from '../../serial/line-settings.js';
import { CDC } from '../../usb/cdc-acm.js';
import { decodeLineCoding } from '../../usb/line-coding.js';
import type { UsbControlSetup } from '../../usb/usb-device.js';
import { SimulatedUsbAdapter, Stall, type RxByte } from './simulated-usb-adapter.js';

/**
 * A CDC-ACM device (an optical head or meter with a native USB port): class requests on the
 * control interface only (USB CDC PSTN 1.2 §6.3), raw bulk data on the data interface.
 */
export class SimulatedCdcAcm extends SimulatedUsbAdapter {
  line: LineSettings | null = null;
  dtr = false;
  rts = false;
  breakOn = false;

  constructor(options: { serialNumber?: string | null; vendorId?: number; productId?: number } = {}) {
    super({
      vendorId: options.vendorId ?? 0x2e8a,
      productId: options.productId ?? 0x000a,
      bcdDevice: 0x0100,
      bcdUsb: 0x0200,
      deviceClass: 0xef, // miscellaneous: IAD composite, as most CDC gadgets enumerate
      manufacturer: 'Wattlet Sim',
      product: 'CDC-ACM optical head',
      serialNumber: options.serialNumber === undefined ? 'E6614C311B4A7' : options.serialNumber,
      interfaces: [
        {
          interfaceNumber: 0,
          alternate: {
            alternateSetting: 0,
            interfaceClass: 0x02,
            interfaceSubclass: 0x02,
            interfaceProtocol: 0x01,
            endpoints: [{ endpointNumber: 3, direction: 'in', type: 'interrupt', packetSize: 8 }],
          },
        },
        {
          interfaceNumber: 1,
          alternate: {
            alternateSetting: 0,
            interfaceClass: 0x0a,
            interfaceSubclass: 0,
            interfaceProtocol: 0,
            endpoints: [
              { endpointNumber: 2, direction: 'in', type: 'bulk', packetSize: 64 },
              { endpointNumber: 2, direction: 'out', type: 'bulk', packetSize: 64 },
            ],
          },
        },
      ],
    });
  }

  protected uartSettings(): LineSettings | null {
    return this.line;
  }

  /** CDC PSTN §6.5.4 SERIAL_STATE: framing/parity/overrun are one-shot bits, sent when they happen. */
  protected override charactersReceived(chars: readonly RxByte[]): void {
    let state = 0x03; // DCD, DSR
    if (chars.some((c) => c.framing)) state |= 0x10;
    if (chars.some((c) => c.parity)) state |= 0x20;
    if (chars.some((c) => c.overrun)) state |= 0x40;
    if (state === 0x03) return;
    this.notify(Uint8Array.of(0xa1, 0x20, 0, 0, 0, 0, 2, 0, state, 0));
  }

  protected resetChip(): void {
    this.line = null;
    this.dtr = this.rts = this.breakOn = false;
    this.rx = [];
  }

  protected controlOutRequest(s: UsbControlSetup, data: Uint8Array): void {
    this.#check(s);
    switch (s.request) {
      case CDC.SET_LINE_CODING: {
        const c = decodeLineCoding(data);
        if (!c || (c.dataBits !== 7 && c.dataBits !== 8) || c.rateField === 0) throw new Stall('bad line coding');
        this.line = { baudRate: c.rateField, dataBits: c.dataBits, parity: c.parity, stopBits: c.stopBits };
        return;
      }
      case CDC.SET_CONTROL_LINE_STATE:
        if (data.length) throw new Stall('SET_CONTROL_LINE_STATE has no data stage');
        this.dtr = (s.value & 1) !== 0;
        this.rts = (s.value & 2) !== 0;
        return;
      case CDC.SEND_BREAK:
        this.breakOn = s.value !== 0;
        return;
      default:
        throw new Stall(`CDC-ACM has no OUT request ${s.request}`);
    }
  }

  protected controlInRequest(s: UsbControlSetup): Uint8Array {
    this.#check(s);
    if (s.request !== CDC.GET_LINE_CODING || !this.line) throw new Stall(`CDC-ACM has no IN request ${s.request}`);
    const l = this.line;
    return Uint8Array.of(l.baudRate & 0xff, (l.baudRate >> 8) & 0xff, (l.baudRate >> 16) & 0xff, l.baudRate >>> 24, [1, 1.5, 2].indexOf(l.stopBits), ['none', 'odd', 'even', 'mark', 'space'].indexOf(l.parity), l.dataBits);
  }

  #check(s: UsbControlSetup): void {
    if (s.requestType !== 'class' || s.recipient !== 'interface') throw new Stall(`CDC-ACM takes class requests to the interface, got ${s.requestType}/${s.recipient}`);
    if (s.index !== 0) throw new Stall(`interface ${s.index} is not the communications interface`);
  }
}
