import type { LineSettings } from '../../serial/line-settings.js';
import { CP210X } from '../../usb/cp210x.js';
import type { UsbControlSetup } from '../../usb/usb-device.js';
import { SimulatedUsbAdapter, Stall } from './simulated-usb-adapter.js';

const PARITIES = ['none', 'odd', 'even', 'mark', 'space'] as const;

/** AN571 requests beyond those the project's driver sends (CP210X holds those). */
const GET_COMM_STATUS = 0x10;
const SET_FLOW = 0x13;
const GET_FLOW = 0x14;
const SET_CHARS = 0x19;
/** Vendor-specific device request (AN571 §5.27; Linux cp210x.c) and its part-number read. */
const VENDOR_SPECIFIC = 0xff;
const GET_PARTNUM = 0x370b;
const PARTNUM_CP2102 = 0x02;

/**
 * The flow-control block (AN571 §5.25: ulControlHandshake, ulFlowReplace, ulXonLimit,
 * ulXoffLimit, little-endian) at power-on: DTR and RTS driven active, no handshaking.
 */
function defaultFlow(): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x01, true); // SERIAL_DTR_ACTIVE
  v.setUint32(4, 0x40, true); // SERIAL_RTS_ACTIVE
  v.setUint32(8, 0x80, true);
  v.setUint32(12, 0x80, true);
  return b;
}

/**
 * A CP2102 (AN571): vendor requests addressed to the interface, and the vendor-specific
 * part-number read addressed to the device, answered at any time (Linux's cp210x asks before
 * enabling the interface). Every OUT request but IFC_ENABLE is refused while the interface is
 * disabled, and the UART moves no data until enabled. The flow-control block, special
 * characters and communication status that Linux reads and writes are kept as the chip does.
 */
export class SimulatedCp210x extends SimulatedUsbAdapter {
  enabled = false;
  baudRate = 9600;
  lineCtl = 0x0800;
  mhs = 0;
  flow = defaultFlow();
  chars = new Uint8Array(6);

  constructor(options: { serialNumber?: string | null } = {}) {
    super({
      vendorId: 0x10c4,
      productId: 0xea60,
      bcdDevice: 0x0100,
      bcdUsb: 0x0110,
      deviceClass: 0,
      manufacturer: 'Silicon Labs',
      product: 'CP2102 USB to UART Bridge Controller',
      serialNumber: options.serialNumber === undefined ? '0001' : options.serialNumber,
      interfaces: [
        {
          interfaceNumber: 0,
          alternate: {
            alternateSetting: 0,
            interfaceClass: 0xff,
            interfaceSubclass: 0,
            interfaceProtocol: 0,
            endpoints: [
              { endpointNumber: 1, direction: 'in', type: 'bulk', packetSize: 64 },
              { endpointNumber: 1, direction: 'out', type: 'bulk', packetSize: 64 },
            ],
          },
        },
      ],
    });
  }

  protected uartSettings(): LineSettings | null {
    if (!this.enabled) return null;
    const stop = this.lineCtl & 0x0f;
    return {
      baudRate: this.baudRate,
      dataBits: (this.lineCtl >> 8) as 7 | 8,
      parity: PARITIES[(this.lineCtl >> 4) & 0x0f]!,
      stopBits: stop === 0 ? 1 : stop === 1 ? 1.5 : 2,
    };
  }

  protected resetChip(): void {
    this.enabled = false;
    this.baudRate = 9600;
    this.lineCtl = 0x0800;
    this.mhs = 0;
    this.flow = defaultFlow();
    this.chars = new Uint8Array(6);
    this.rx = [];
  }

  protected controlOutRequest(s: UsbControlSetup, data: Uint8Array): void {
    this.#check(s);
    if (s.request === CP210X.IFC_ENABLE) {
      this.enabled = s.value === 1;
      return;
    }
    if (!this.enabled) throw new Stall(`request ${s.request} while the interface is disabled (IFC_ENABLE first)`);
    switch (s.request) {
      case SET_FLOW:
        if (data.length !== 16) throw new Stall('SET_FLOW takes 16 bytes');
        this.flow = data.slice();
        return;
      case SET_CHARS:
        if (data.length !== 6) throw new Stall('SET_CHARS takes 6 bytes');
        this.chars = data.slice();
        return;
      case CP210X.SET_BAUDRATE: {
        if (data.length !== 4) throw new Stall('SET_BAUDRATE takes 4 bytes');
        const baud = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
        if (baud < 300 || baud > 3_000_000) throw new Stall(`baud ${baud} outside 300..3M`);
        this.baudRate = baud;
        return;
      }
      case CP210X.SET_LINE_CTL: {
        const bits = s.value >> 8;
        const parity = (s.value >> 4) & 0x0f;
        const stop = s.value & 0x0f;
        if (bits < 5 || bits > 8 || parity > 4 || stop > 2) throw new Stall(`line control ${s.value.toString(16)}`);
        if (bits !== 7 && bits !== 8) throw new Stall('a meter line needs 7 or 8 data bits');
        this.lineCtl = s.value;
        return;
      }
      case CP210X.SET_MHS:
        if (s.value & 0x0100) this.mhs = (this.mhs & ~1) | (s.value & 1);
        if (s.value & 0x0200) this.mhs = (this.mhs & ~2) | (s.value & 2);
        return;
      case CP210X.SET_BREAK:
        return;
      case CP210X.PURGE:
        if (s.value & 0x0a) this.rx = [];
        return;
      default:
        throw new Stall(`CP210x has no OUT request ${s.request}`);
    }
  }

  protected controlInRequest(s: UsbControlSetup, length: number): Uint8Array {
    if (s.requestType === 'vendor' && s.recipient === 'device' && s.request === VENDOR_SPECIFIC) {
      if (s.value !== GET_PARTNUM) throw new Stall(`vendor-specific read ${s.value.toString(16)}`);
      // A genuine CP2102 fills a two-byte read (Linux tells clones by their one-byte answer).
      return Uint8Array.of(PARTNUM_CP2102, 0).subarray(0, Math.min(2, length));
    }
    this.#check(s);
    switch (s.request) {
      case CP210X.GET_MDMSTS:
        return Uint8Array.of(this.mhs | 0x10 | 0x20);
      case GET_FLOW:
        return this.flow.slice();
      case GET_COMM_STATUS: {
        // AN571 §5.19: errors, hold reasons, bytes in the receive and transmit queues, flags.
        const b = new Uint8Array(19);
        new DataView(b.buffer).setUint32(8, this.rx.length, true);
        return b;
      }
      default:
        throw new Stall(`CP210x has no IN request ${s.request}`);
    }
  }

  #check(s: UsbControlSetup): void {
    if (s.requestType !== 'vendor' || s.recipient !== 'interface') throw new Stall(`CP210x takes vendor requests to the interface, got ${s.requestType}/${s.recipient}`);
    if (s.index !== 0) throw new Stall(`no interface ${s.index}`);
  }
}
