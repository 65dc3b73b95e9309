import type { LineSettings } from '../../serial/line-settings.js';
import { CH34X } from '../../usb/ch34x.js';
import { ch34xBaudFromRegisters, ch34xLineFromLcr } from '../../usb/ch34x-baud.js';
import type { UsbControlSetup } from '../../usb/usb-device.js';
import { SimulatedUsbAdapter, Stall } from './simulated-usb-adapter.js';

type Stage = 'power' | 'versioned' | 'init' | 'running';

/**
 * A CH340G as WCH's init sequence expects it: the version read, SERIAL_INIT, register writes
 * for the divisor and the LCR, the second SERIAL_INIT that starts the UART. Requests out of
 * that order are refused, and without bit 7 in the prescaler byte the chip holds received
 * bytes until a full 32-byte packet is ready (the CH341A quirk Linux ch341.c documents).
 */
export class SimulatedCh34x extends SimulatedUsbAdapter {
  stage: Stage = 'power';
  reg1312 = 0;
  reg0f2c = 0;
  lcr = 0;
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

  protected uartSettings(): LineSettings | null {
    if (this.stage !== 'running') return null;
    const baud = ch34xBaudFromRegisters(this.reg1312, this.reg0f2c);
    const line = ch34xLineFromLcr(this.lcr);
    if (!baud || !line || (this.lcr & 0xc0) !== 0xc0) return null;
    return { baudRate: baud, ...line } as LineSettings;
  }

  protected resetChip(): void {
    this.stage = 'power';
    this.reg1312 = this.reg0f2c = this.lcr = 0;
    this.modemCtrl = 0xffff;
    this.rx = [];
  }

  protected override takeIn(length: number, timerFired: boolean): Uint8Array | null {
    if ((this.reg1312 & 0x80) === 0 && this.rx.length < 32) return null;
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
          if (this.stage !== 'init' || !this.reg1312) throw new Stall('second SERIAL_INIT before the first one and a divisor');
          this.stage = 'running';
          return;
        }
        throw new Stall(`SERIAL_INIT ${s.value.toString(16)}/${s.index.toString(16)}`);
      case CH34X.WRITE_REG:
        if (this.stage === 'power' || this.stage === 'versioned') throw new Stall('WRITE_REG before SERIAL_INIT');
        if (s.value === 0x1312) this.reg1312 = s.index;
        else if (s.value === 0x0f2c) {
          if (s.index > 0xff) throw new Stall('0x0F2C takes one byte');
          this.reg0f2c = s.index;
        } else if (s.value === 0x2518) {
          if (!ch34xLineFromLcr(s.index & 0xff)) throw new Stall(`LCR ${s.index.toString(16)}`);
          this.lcr = s.index & 0xff;
        } else throw new Stall(`WRITE_REG ${s.value.toString(16)}`);
        return;
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
      if (s.value === 0x2518) return Uint8Array.of(this.lcr, 0x00);
      if (s.value === 0x0706) return Uint8Array.of(~0x03 & 0xff, 0xee); // CTS and DSR asserted (active-low)
      throw new Stall(`READ_REG ${s.value.toString(16)}`);
    }
    throw new Stall(`CH34x has no IN request ${s.request.toString(16)}`);
  }

  #check(s: UsbControlSetup, data: Uint8Array): void {
    if (s.requestType !== 'vendor' || s.recipient !== 'device') throw new Stall(`CH34x takes vendor requests to the device, got ${s.requestType}/${s.recipient}`);
    if (data.length) throw new Stall('CH34x OUT requests carry no data');
  }
}
