import { crc16Arc } from '../../../main/meter/protocols/crc16.js';
import { dataBlock, identification } from '../../../main/meter/protocols/iec62056-21/iec-messages.js';
import type { LineSettings } from '../../../main/meter/serial/line-settings.js';
import { uartReceive } from '../../../main/meter/sim/adapters/uart-wire.js';
import type { SimulatedMeterLine, WireHostSide } from '../../../main/meter/sim/wire.js';

export const DSMR5_LINE: LineSettings = { baudRate: 115_200, dataBits: 8, parity: 'none', stopBits: 1 };
export const IEC_SIGN_ON_LINE: LineSettings = { baudRate: 300, dataBits: 7, parity: 'even', stopBits: 1 };
export const IEC_DATA_LINE: LineSettings = { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 };

const enc = new TextEncoder();
const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const fixed = (milli: number, intDigits: number): string =>
  `${pad(Math.floor(milli / 1000), intDigits)}.${pad(milli % 1000, 3)}`;
const hexAscii = (s: string): string => Buffer.from(s, 'latin1').toString('hex').toUpperCase();

/** The values telegram number `n` carries; every telegram differs from every other. */
export interface Dsmr5Values {
  readonly n: number;
  /** "YYMMDDhhmmssW" */
  readonly timestamp: string;
  readonly importT1Wh: number;
  readonly importT2Wh: number;
  readonly exportT1Wh: number;
  readonly exportT2Wh: number;
  readonly powerImportW: number;
  readonly gasDm3: number;
}

export function dsmr5Values(n: number): Dsmr5Values {
  const sec = 10 + n; // 2026-11-25 10:20:(10+n) winter time
  const mm = 20 + Math.floor(sec / 60);
  return {
    n,
    timestamp: `261125${pad(10, 2)}${pad(mm, 2)}${pad(sec % 60, 2)}W`,
    importT1Wh: 1_234_567 + n * 7,
    importT2Wh: 2_345_678 + n * 3,
    exportT1Wh: 345_678 + n,
    exportT2Wh: 456_789 + n * 2,
    powerImportW: 1_000 + n * 37,
    gasDm3: 12_785_123 + n * 11,
  };
}

/**
 * A DSMR 5.0.2 telegram (P1 companion standard §6.12 example layout: version 50, equipment id
 * in hex ASCII, three phases, an M-Bus gas meter, a text message), with its CRC-16/ARC.
 */
export function dsmr5Telegram(v: Dsmr5Values, equipmentId = 'WATTLET-QEMU-0001'): Uint8Array {
  const lines = [
    '/WAT5\\2WATTLET-HW-5',
    '',
    '1-3:0.2.8(50)',
    `0-0:1.0.0(${v.timestamp})`,
    `0-0:96.1.1(${hexAscii(equipmentId)})`,
    `1-0:1.8.1(${fixed(v.importT1Wh, 6)}*kWh)`,
    `1-0:1.8.2(${fixed(v.importT2Wh, 6)}*kWh)`,
    `1-0:2.8.1(${fixed(v.exportT1Wh, 6)}*kWh)`,
    `1-0:2.8.2(${fixed(v.exportT2Wh, 6)}*kWh)`,
    `0-0:96.14.0(${pad(1 + (v.n % 2), 4)})`,
    `1-0:1.7.0(${fixed(v.powerImportW, 2)}*kW)`,
    '1-0:2.7.0(00.000*kW)',
    '0-0:96.7.21(00004)',
    '0-0:96.7.9(00002)',
    '1-0:99.97.0(2)(0-0:96.7.19)(101208152415W)(0000000240*s)(101208151004W)(0000000301*s)',
    '1-0:32.32.0(00002)',
    '1-0:52.32.0(00001)',
    '1-0:72.32.0(00000)',
    '1-0:32.36.0(00000)',
    '1-0:52.36.0(00003)',
    '1-0:72.36.0(00000)',
    `0-0:96.13.0(${hexAscii(`Wattlet QEMU telegram ${v.n}`)})`,
    '1-0:32.7.0(230.1*V)',
    '1-0:52.7.0(230.2*V)',
    '1-0:72.7.0(230.3*V)',
    '1-0:31.7.0(001*A)',
    '1-0:51.7.0(002*A)',
    '1-0:71.7.0(003*A)',
    `1-0:21.7.0(${fixed(v.powerImportW, 2)}*kW)`,
    '1-0:41.7.0(00.000*kW)',
    '1-0:61.7.0(00.000*kW)',
    '1-0:22.7.0(00.000*kW)',
    '1-0:42.7.0(00.000*kW)',
    '1-0:62.7.0(00.000*kW)',
    '0-1:24.1.0(003)',
    `0-1:96.1.0(${hexAscii('GAS-QEMU-0001')})`,
    `0-1:24.2.1(${v.timestamp})(${fixed(v.gasDm3, 5)}*m3)`,
    '!',
  ];
  const body = enc.encode(lines.join('\r\n'));
  const crc = crc16Arc(body).toString(16).toUpperCase().padStart(4, '0');
  const out = new Uint8Array(body.length + 6);
  out.set(body);
  out.set(enc.encode(`${crc}\r\n`), body.length);
  return out;
}

/**
 * A DSMR 5 meter on the P1 port: pushes a telegram when told to (a real one does every second;
 * the test paces it by what the guest reports) at 115200 8N1, and remembers what it sent.
 */
export class Dsmr5TestMeter implements SimulatedMeterLine {
  readonly sent: { values: Dsmr5Values; bytes: Uint8Array; torn: boolean }[] = [];
  #host: WireHostSide | null = null;
  #n = 0;

  get attached(): boolean {
    return this.#host !== null;
  }

  attach(host: WireHostSide): void {
    this.#host = host;
  }

  toMeter(): void {
    // P1 is send-only: the meter ignores anything the host writes (§5.4: data request line only).
  }

  detach(): void {
    this.#host = null;
  }

  /** Push the next telegram; `cutAt` sends only that many bytes of it (the line dies mid-way). */
  push(cutAt?: number): Dsmr5Values {
    const host = this.#host;
    if (!host) throw new Error('meter not attached');
    const values = dsmr5Values(++this.#n);
    const full = dsmr5Telegram(values);
    const bytes = cutAt === undefined ? full : full.subarray(0, cutAt);
    // A UART trickles; hand the wire pieces of at most 100 bytes like a real P1 line would.
    for (let off = 0; off < bytes.length; off += 100) host.fromMeter(bytes.subarray(off, off + 100), DSMR5_LINE);
    this.sent.push({ values, bytes: full, torn: cutAt !== undefined });
    return values;
  }
}

export interface IecReadoutValues {
  readonly meterNumber: string;
  readonly importWh: number;
  readonly exportWh: number;
  readonly body: string;
}

/**
 * An IEC 62056-21 mode C meter: listens at 300 7E1, answers "/?!" with its identification
 * (offering 9600), accepts "ACK 0 5 0" (readout at 9600) and, after the ≥ 200 ms the standard
 * requires (§6.3.14), sends its data block at 9600 7E1. What the host sends is read through the
 * project's UART model at the meter's own settings, so a wrong speed or format is not heard.
 */
export class IecTestMeter implements SimulatedMeterLine {
  readonly heard: { text: string; sentWith: LineSettings }[] = [];
  readonly values: IecReadoutValues;
  state: 'idle' | 'identified' | 'sent-data' = 'idle';
  #host: WireHostSide | null = null;
  #rx = '';
  #line: LineSettings = IEC_SIGN_ON_LINE;
  #timer: NodeJS.Timeout | null = null;

  constructor() {
    const importWh = 4_711_042;
    const exportWh = 815_007;
    const meterNumber = '31415926';
    const body =
      `0.0.0(${meterNumber})\r\n` +
      `1.8.0(${fixed(importWh, 6)}*kWh)\r\n` +
      `2.8.0(${fixed(exportWh, 6)}*kWh)\r\n` +
      'F.F(00000000)\r\n' +
      '!\r\n';
    this.values = { meterNumber, importWh, exportWh, body };
  }

  attach(host: WireHostSide): void {
    this.#host = host;
    this.#line = IEC_SIGN_ON_LINE;
    this.#rx = '';
    this.state = 'idle';
  }

  toMeter(bytes: Uint8Array, sentWith: LineSettings): void {
    const heard = uartReceive(bytes, sentWith, this.#line);
    const text = String.fromCharCode(...heard.filter((c) => !c.framing && !c.parity).map((c) => c.value & 0x7f));
    this.heard.push({ text, sentWith });
    this.#rx += text;
    if (this.state === 'idle' && this.#rx.includes('/?!\r\n')) {
      this.#rx = '';
      this.state = 'identified';
      this.#host?.fromMeter(identification({ manufacturer: 'WAT', baudChar: '5', baud: 9600, ident: 'QEMU-IEC-1' }), this.#line);
    } else if (this.state === 'identified' && this.#rx.includes('\x06050\r\n')) {
      this.#rx = '';
      this.#line = IEC_DATA_LINE;
      this.state = 'sent-data';
      this.#timer = setTimeout(() => this.#host?.fromMeter(dataBlock(this.values.body), IEC_DATA_LINE), 300);
    }
  }

  detach(): void {
    this.#host = null;
    if (this.#timer) clearTimeout(this.#timer);
  }
}
