import { WattletError } from '../../api/errors.js';
import type { LineSettings } from '../serial/line-settings.js';
import { claimInterface, controlIn, controlOut } from './control.js';
import { activeConfiguration, type UsbDeviceLike } from './usb-device.js';
import type { SerialSignals, UsbSerialDriver } from './usb-serial-port.js';

/** Silicon Labs AN571 "CP210x Virtual COM Port Interface" request codes. */
export const CP210X = {
  IFC_ENABLE: 0x00,
  SET_LINE_CTL: 0x03,
  SET_BREAK: 0x05,
  SET_MHS: 0x07,
  GET_MDMSTS: 0x08,
  PURGE: 0x12,
  SET_BAUDRATE: 0x1e,
} as const;

const PARITY_CODE = { none: 0, odd: 1, even: 2, mark: 3, space: 4 } as const;
const STOP_CODE = { 1: 0, 1.5: 1, 2: 2 } as const;

/** SET_LINE_CTL wValue (AN571 §5.6): stop bits 0-3, parity 4-7, data bits 8-15. */
export function cp210xLineCtl(s: LineSettings): number {
  return STOP_CODE[s.stopBits] | (PARITY_CODE[s.parity] << 4) | (s.dataBits << 8);
}

export function cp210xBaudBytes(baud: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, baud, true);
  return b;
}

/**
 * CP2102/CP2104 and the first port of CP2105/CP2108: the host sends the baud rate as an
 * integer (the chip picks its nearest rate), no divisor math. The interface must be enabled
 * (IFC_ENABLE) before the chip accepts line settings or moves data.
 */
export class Cp210xDriver implements UsbSerialDriver {
  readonly family = 'cp210x' as const;
  readonly interfaceNumber: number;
  readonly inEndpoint: number;
  readonly outEndpoint: number;
  readonly inLength: number;
  #claimed = false;
  #enabled = false;

  constructor(readonly device: UsbDeviceLike) {
    const iface = activeConfiguration(device)?.interfaces[0];
    this.interfaceNumber = iface?.interfaceNumber ?? 0;
    const eps = iface?.alternate.endpoints ?? [];
    const bulkIn = eps.find((e) => e.type === 'bulk' && e.direction === 'in');
    this.inEndpoint = bulkIn?.endpointNumber ?? 1;
    this.outEndpoint = eps.find((e) => e.type === 'bulk' && e.direction === 'out')?.endpointNumber ?? 1;
    this.inLength = (bulkIn?.packetSize ?? 64) * 4;
  }

  async open(settings: LineSettings): Promise<void> {
    await claimInterface(this.device, this.interfaceNumber);
    this.#claimed = true;
    await this.#out(CP210X.IFC_ENABLE, 1);
    this.#enabled = true;
    await this.#out(CP210X.PURGE, 0x0f);
    await this.setLineSettings(settings);
    await this.setSignals({ dtr: true, rts: true });
  }

  async setLineSettings(settings: LineSettings): Promise<void> {
    if (settings.baudRate < 300 || settings.baudRate > 3_000_000) {
      throw new WattletError('METER_LINE_SETTINGS_UNSUPPORTED', `CP210x cannot run at ${settings.baudRate} baud`, {
        family: 'cp210x',
        baudRate: settings.baudRate,
      });
    }
    await this.#out(CP210X.SET_BAUDRATE, 0, cp210xBaudBytes(settings.baudRate));
    await this.#out(CP210X.SET_LINE_CTL, cp210xLineCtl(settings));
  }

  async setSignals(signals: SerialSignals): Promise<void> {
    let value = 0;
    if (signals.dtr !== undefined) value |= 0x0100 | (signals.dtr ? 0x01 : 0);
    if (signals.rts !== undefined) value |= 0x0200 | (signals.rts ? 0x02 : 0);
    if (value) await this.#out(CP210X.SET_MHS, value);
    if (signals.brk !== undefined) await this.#out(CP210X.SET_BREAK, signals.brk ? 1 : 0);
  }

  async modemStatus(): Promise<number> {
    const b = await controlIn(this.device, { requestType: 'vendor', recipient: 'interface', request: CP210X.GET_MDMSTS, value: 0, index: this.interfaceNumber }, 1);
    return b[0] ?? 0;
  }

  decode(transfer: Uint8Array): Uint8Array {
    return transfer;
  }

  async release(): Promise<void> {
    if (this.#enabled) {
      this.#enabled = false;
      await this.#out(CP210X.IFC_ENABLE, 0).catch(() => undefined); // closing anyway; a gone device cannot be disabled
    }
    if (!this.#claimed) return;
    this.#claimed = false;
    await this.device.releaseInterface(this.interfaceNumber);
  }

  #out(request: number, value: number, data?: Uint8Array): Promise<void> {
    return controlOut(this.device, { requestType: 'vendor', recipient: 'interface', request, value, index: this.interfaceNumber }, data);
  }
}
