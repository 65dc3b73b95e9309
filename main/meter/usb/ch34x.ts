import { WattletError } from '../../api/errors.js';
import type { LineSettings } from '../serial/line-settings.js';
import { ch34xBaudRegisters, ch34xLcr } from './ch34x-baud.js';
import { claimInterface, controlIn, controlOut } from './control.js';
import { activeConfiguration, type UsbDeviceLike } from './usb-device.js';
import type { SerialSignals, UsbSerialDriver } from './usb-serial-port.js';

/** WCH vendor requests (Linux ch341.c CH341_REQ_*). */
export const CH34X = { READ_VERSION: 0x5f, SERIAL_INIT: 0xa1, READ_REG: 0x95, WRITE_REG: 0x9a, MODEM_CTRL: 0xa4 } as const;

const DTR = 0x20;
const RTS = 0x40;

/**
 * CH340/CH341: raw bulk data, but the chip only behaves after WCH's init sequence (as
 * usb-serial-for-android's Ch34xSerialDriver.initialize replays it, register reads included:
 * the reads are part of what the vendor driver does and some clones check the order).
 */
export class Ch34xDriver implements UsbSerialDriver {
  readonly family = 'ch34x' as const;
  readonly inEndpoint: number;
  readonly outEndpoint: number;
  readonly inLength: number;
  readonly interfaces: number[];
  #claimed: number[] = [];
  #signals = 0;
  version = 0;

  constructor(readonly device: UsbDeviceLike) {
    const ifaces = activeConfiguration(device)?.interfaces ?? [];
    this.interfaces = ifaces.map((i) => i.interfaceNumber);
    const last = ifaces[ifaces.length - 1];
    const eps = last?.alternate.endpoints ?? [];
    const bulkIn = eps.find((e) => e.type === 'bulk' && e.direction === 'in');
    this.inEndpoint = bulkIn?.endpointNumber ?? 2;
    this.outEndpoint = eps.find((e) => e.type === 'bulk' && e.direction === 'out')?.endpointNumber ?? 2;
    this.inLength = (bulkIn?.packetSize ?? 32) * 4;
  }

  async open(settings: LineSettings): Promise<void> {
    for (const n of this.interfaces) {
      await claimInterface(this.device, n);
      this.#claimed.push(n);
    }
    const version = await this.#in(CH34X.READ_VERSION, 0, 2);
    if (version[1] !== 0x00) {
      throw new WattletError('METER_UNSUPPORTED_ADAPTER', 'The CH34x answered an unexpected version', { family: 'ch34x', version: Array.from(version).join(',') });
    }
    this.version = version[0]!;
    await this.#out(CH34X.SERIAL_INIT, 0, 0);
    await this.#baud(9600);
    await this.#in(CH34X.READ_REG, 0x2518, 2);
    await this.#out(CH34X.WRITE_REG, 0x2518, 0x00c3);
    await this.#in(CH34X.READ_REG, 0x0706, 2);
    await this.#out(CH34X.SERIAL_INIT, 0x501f, 0xd90a);
    await this.#baud(9600);
    this.#signals = DTR | RTS;
    await this.#out(CH34X.MODEM_CTRL, ~this.#signals & 0xffff, 0);
    await this.#in(CH34X.READ_REG, 0x0706, 2);
    await this.setLineSettings(settings);
  }

  async setLineSettings(settings: LineSettings): Promise<void> {
    let lcr: number;
    try {
      ch34xBaudRegisters(settings.baudRate);
      lcr = ch34xLcr(settings);
    } catch (e) {
      throw new WattletError('METER_LINE_SETTINGS_UNSUPPORTED', `CH34x cannot do ${settings.baudRate} ${settings.dataBits}/${settings.parity}/${settings.stopBits}`, {
        family: 'ch34x',
        baudRate: settings.baudRate,
        reason: e instanceof Error ? e.message : String(e),
      });
    }
    await this.#baud(settings.baudRate);
    await this.#out(CH34X.WRITE_REG, 0x2518, lcr);
  }

  async setSignals(signals: SerialSignals): Promise<void> {
    if (signals.dtr !== undefined) this.#signals = signals.dtr ? this.#signals | DTR : this.#signals & ~DTR;
    if (signals.rts !== undefined) this.#signals = signals.rts ? this.#signals | RTS : this.#signals & ~RTS;
    // The chip's modem lines are active-low: the request carries the complement.
    if (signals.dtr !== undefined || signals.rts !== undefined) await this.#out(CH34X.MODEM_CTRL, ~this.#signals & 0xffff, 0);
    if (signals.brk !== undefined) {
      throw new WattletError('METER_LINE_SETTINGS_UNSUPPORTED', 'Break is not implemented for CH34x', { family: 'ch34x' });
    }
  }

  /** Modem status, active-low on the wire, returned active-high: CTS 0x01, DSR 0x02, RI 0x04, DCD 0x08. */
  async modemStatus(): Promise<number> {
    const b = await this.#in(CH34X.READ_REG, 0x0706, 2);
    return ~b[0]! & 0x0f;
  }

  decode(transfer: Uint8Array): Uint8Array {
    return transfer;
  }

  async release(): Promise<void> {
    const claimed = this.#claimed.reverse();
    this.#claimed = [];
    for (const n of claimed) await this.device.releaseInterface(n);
  }

  async #baud(baud: number): Promise<void> {
    const r = ch34xBaudRegisters(baud);
    await this.#out(CH34X.WRITE_REG, 0x1312, r.reg1312);
    await this.#out(CH34X.WRITE_REG, 0x0f2c, r.reg0f2c);
  }

  #out(request: number, value: number, index: number): Promise<void> {
    return controlOut(this.device, { requestType: 'vendor', recipient: 'device', request, value, index });
  }

  #in(request: number, value: number, length: number): Promise<Uint8Array> {
    return controlIn(this.device, { requestType: 'vendor', recipient: 'device', request, value, index: 0 }, length);
  }
}
