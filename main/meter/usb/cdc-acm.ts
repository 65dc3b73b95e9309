import { WattletError } from '../../api/errors.js';
import type { LineSettings } from '../serial/line-settings.js';
import type { LineErrorCounts } from '../serial/serial-port.js';
import { claimInterface, controlOut } from './control.js';
import { encodeLineCoding } from './line-coding.js';
import { activeConfiguration, type UsbDeviceLike } from './usb-device.js';
import type { SerialSignals, UsbSerialDriver } from './usb-serial-port.js';

/** CDC PSTN class requests (USB CDC PSTN 1.2 §6.3). */
export const CDC = { SET_LINE_CODING: 0x20, GET_LINE_CODING: 0x21, SET_CONTROL_LINE_STATE: 0x22, SEND_BREAK: 0x23 } as const;

/**
 * CDC-ACM: a control interface (class 02/02) that takes the class requests and a data
 * interface (class 0A) with raw bulk endpoints. Both are claimed; requests go to the control
 * interface number (which, on composites, need not be 0).
 */
export class CdcAcmDriver implements UsbSerialDriver {
  readonly family = 'cdc-acm' as const;
  readonly controlInterface: number;
  readonly dataInterface: number;
  readonly inEndpoint: number;
  readonly outEndpoint: number;
  readonly inLength: number;
  readonly notifyEndpoint: number | undefined;
  #dtr = false;
  #rts = false;
  #claimed: number[] = [];

  constructor(readonly device: UsbDeviceLike) {
    const ifaces = activeConfiguration(device)?.interfaces ?? [];
    const control = ifaces.find((i) => i.alternate.interfaceClass === 0x02 && i.alternate.interfaceSubclass === 0x02);
    // The data interface is the first class-0A interface after the control one (IAD order).
    const data = ifaces.find((i) => i.alternate.interfaceClass === 0x0a && (!control || i.interfaceNumber > control.interfaceNumber)) ??
      ifaces.find((i) => i.alternate.interfaceClass === 0x0a);
    if (!control || !data) {
      throw new WattletError('METER_UNSUPPORTED_ADAPTER', 'The device has no CDC-ACM control and data interface pair', { family: 'cdc-acm' });
    }
    this.controlInterface = control.interfaceNumber;
    this.dataInterface = data.interfaceNumber;
    const bulkIn = data.alternate.endpoints.find((e) => e.type === 'bulk' && e.direction === 'in');
    const bulkOut = data.alternate.endpoints.find((e) => e.type === 'bulk' && e.direction === 'out');
    this.inEndpoint = bulkIn?.endpointNumber ?? 1;
    this.outEndpoint = bulkOut?.endpointNumber ?? 1;
    this.inLength = (bulkIn?.packetSize ?? 64) * 4;
    this.notifyEndpoint = control.alternate.endpoints.find((e) => e.type === 'interrupt' && e.direction === 'in')?.endpointNumber;
  }

  async open(settings: LineSettings): Promise<void> {
    for (const n of [this.controlInterface, this.dataInterface]) {
      await claimInterface(this.device, n);
      this.#claimed.push(n);
    }
    await this.setLineSettings(settings);
    await this.setSignals({ dtr: true, rts: true });
  }

  async setLineSettings(settings: LineSettings): Promise<void> {
    await this.#class(CDC.SET_LINE_CODING, 0, encodeLineCoding(settings));
  }

  async setSignals(signals: SerialSignals): Promise<void> {
    if (signals.dtr !== undefined || signals.rts !== undefined) {
      this.#dtr = signals.dtr ?? this.#dtr;
      this.#rts = signals.rts ?? this.#rts;
      await this.#class(CDC.SET_CONTROL_LINE_STATE, (this.#dtr ? 1 : 0) | (this.#rts ? 2 : 0));
    }
    if (signals.brk !== undefined) await this.#class(CDC.SEND_BREAK, signals.brk ? 0xffff : 0);
  }

  decode(transfer: Uint8Array): Uint8Array {
    return transfer;
  }

  /** SERIAL_STATE (CDC PSTN §6.5.4): UART state bitmap after the 8-byte header. */
  decodeNotification(packet: Uint8Array, errors: LineErrorCounts): void {
    if (packet.length < 10 || packet[0] !== 0xa1 || packet[1] !== 0x20) return; // other notifications carry no line errors
    const state = packet[8]! | (packet[9]! << 8);
    if (state & 0x04) errors.break++;
    if (state & 0x10) errors.framing++;
    if (state & 0x20) errors.parity++;
    if (state & 0x40) errors.overrun++;
  }

  async release(): Promise<void> {
    const claimed = this.#claimed.reverse();
    this.#claimed = [];
    for (const n of claimed) await this.device.releaseInterface(n);
  }

  #class(request: number, value: number, data?: Uint8Array): Promise<void> {
    return controlOut(this.device, { requestType: 'class', recipient: 'interface', request, value, index: this.controlInterface }, data);
  }
}
