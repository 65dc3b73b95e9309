import { crc16Arc } from '../../protocols/crc16.js';
import { utcToCentralEuropean } from '../../protocols/meter-time.js';
import type { HouseholdState } from './household-day.js';

/** The DSMR flavours a simulated P1 port can speak. */
export type DsmrVersion = '2.2' | '4.2' | '5.0' | 'e-mucs' | 'smarty';

const p2 = (n: number) => String(n).padStart(2, '0');

/** Fixed-point text "000123.456" from an integer in thousandths, with `int` integer digits. */
export function fixed(milli: number, int: number, decimals = 3): string {
  const neg = milli < 0;
  const scaled = Math.round(Math.abs(milli) / 10 ** (3 - decimals));
  const s = String(scaled).padStart(int + decimals, '0');
  const text = decimals ? `${s.slice(0, -decimals)}.${s.slice(-decimals)}` : s;
  return neg ? `-${text}` : text;
}

export function dsmrTimestamp(ms: number, withDst = true): string {
  const t = utcToCentralEuropean(ms);
  return `${p2(t.y % 100)}${p2(t.mo)}${p2(t.d)}${p2(t.h)}${p2(t.mi)}${p2(t.s)}${withDst ? (t.dst ? 'S' : 'W') : ''}`;
}

function hexAscii(s: string): string {
  let out = '';
  for (const c of s) out += c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
  return out;
}

export interface DsmrBuildInput {
  readonly version: DsmrVersion;
  readonly state: HouseholdState;
  /** The meter's own clock, ms UTC. */
  readonly meterTime: number;
  readonly equipmentId: string;
  readonly gasId: string;
  readonly powerFailures: number;
  readonly text?: string;
}

/** One complete telegram, '/' … '!CRC\r\n' (or '!\r\n' for 2.2), CRLF line ends as on the wire. */
export function buildDsmrTelegram(i: DsmrBuildInput): string {
  const s = i.state;
  const L: string[] = [];
  const ts = dsmrTimestamp(i.meterTime);
  const gasTs = dsmrTimestamp(Math.floor(i.meterTime / 300_000) * 300_000);
  if (i.version === '2.2') {
    L.push('/ISk5\\2MT382-1004', '');
    L.push(`0-0:96.1.1(${i.equipmentId})`);
    L.push(`1-0:1.8.1(${fixed(s.import1Wh, 5)}*kWh)`, `1-0:1.8.2(${fixed(s.import2Wh, 5)}*kWh)`);
    L.push(`1-0:2.8.1(${fixed(s.export1Wh, 5)}*kWh)`, `1-0:2.8.2(${fixed(s.export2Wh, 5)}*kWh)`);
    L.push(`0-0:96.14.0(000${s.tariff})`);
    L.push(`1-0:1.7.0(${fixed(s.importW, 4, 2)}*kW)`, `1-0:2.7.0(${fixed(s.exportW, 4, 2)}*kW)`);
    L.push('0-0:17.0.0(0999.00*kW)', '0-0:96.3.10(1)', '0-0:96.13.1()', '0-0:96.13.0()');
    L.push('0-1:24.1.0(3)', `0-1:96.1.0(${i.gasId})`);
    L.push(`0-1:24.3.0(${dsmrTimestamp(Math.floor(i.meterTime / 3_600_000) * 3_600_000, false)})(00)(60)(1)(0-1:24.2.1)(m3)`);
    L.push(`(${fixed(s.gasDm3, 5)})`, '0-1:24.4.0(1)');
    return `${L.join('\r\n')}\r\n!\r\n`;
  }
  const belgian = i.version === 'e-mucs';
  L.push(belgian ? '/FLU5\\253769484_A' : i.version === '4.2' ? '/KFM5KAIFA-METER' : '/ISk5\\2MT382-1000', '');
  if (belgian) L.push('0-0:96.1.4(50217)');
  else L.push(`1-3:0.2.8(${i.version === '4.2' || i.version === 'smarty' ? '42' : '50'})`);
  L.push(`0-0:1.0.0(${ts})`, `0-0:96.1.1(${hexAscii(i.equipmentId)})`);
  L.push(`1-0:1.8.1(${fixed(s.import1Wh, 6)}*kWh)`, `1-0:1.8.2(${fixed(s.import2Wh, 6)}*kWh)`);
  L.push(`1-0:2.8.1(${fixed(s.export1Wh, 6)}*kWh)`, `1-0:2.8.2(${fixed(s.export2Wh, 6)}*kWh)`);
  L.push(`0-0:96.14.0(000${s.tariff})`);
  if (belgian) {
    L.push(`1-0:1.4.0(${fixed(s.importW, 2)}*kW)`, `1-0:1.6.0(${dsmrTimestamp(i.meterTime - 86_400_000)})(${fixed(3120, 2)}*kW)`);
  }
  L.push(`1-0:1.7.0(${fixed(s.importW, 2)}*kW)`, `1-0:2.7.0(${fixed(s.exportW, 2)}*kW)`);
  if (!belgian) {
    L.push(`0-0:96.7.21(${String(i.powerFailures).padStart(5, '0')})`, '0-0:96.7.9(00002)');
    L.push('1-0:99.97.0(1)(0-0:96.7.19)(230312101502W)(0000000240*s)');
    L.push('1-0:32.32.0(00002)', '1-0:52.32.0(00001)', '1-0:72.32.0(00000)');
    L.push('1-0:32.36.0(00000)', '1-0:52.36.0(00000)', '1-0:72.36.0(00000)');
  }
  L.push(`0-0:96.13.0(${i.text ? hexAscii(i.text) : ''})`);
  if (i.version !== '4.2') {
    for (const [k, c] of [32, 52, 72].entries()) L.push(`1-0:${c}.7.0(${fixed(s.voltageMv[k]!, 3, 1)}*V)`);
  }
  for (const [k, c] of [31, 51, 71].entries()) L.push(`1-0:${c}.7.0(${String(Math.round(s.currentMa[k]! / 1000)).padStart(3, '0')}*A)`);
  L.push(`1-0:21.7.0(${fixed(s.importW, 2)}*kW)`, '1-0:41.7.0(00.000*kW)', '1-0:61.7.0(00.000*kW)');
  L.push(`1-0:22.7.0(${fixed(s.exportW, 2)}*kW)`, '1-0:42.7.0(00.000*kW)', '1-0:62.7.0(00.000*kW)');
  L.push('0-1:24.1.0(003)', `0-1:96.1.${belgian ? '1' : '0'}(${hexAscii(i.gasId)})`);
  L.push(`0-1:24.2.${belgian ? '3' : '1'}(${gasTs})(${fixed(s.gasDm3, 5)}*m3)`);
  const body = `${L.join('\r\n')}\r\n!`;
  const bytes = new TextEncoder().encode(body);
  const crc = crc16Arc(bytes).toString(16).toUpperCase().padStart(4, '0');
  return `${body}${crc}\r\n`;
}
