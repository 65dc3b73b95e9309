/**
 * Line settings of a serial link. Meter protocols need 300 baud 7E1 (IEC 62056-21 sign-on)
 * through 115200 8N1 (DSMR 4/5), and a speed change on an open port.
 */
export interface LineSettings {
  readonly baudRate: number;
  readonly dataBits: 7 | 8;
  readonly parity: 'none' | 'odd' | 'even' | 'mark' | 'space';
  readonly stopBits: 1 | 1.5 | 2;
}

export const LINE_8N1_115200: LineSettings = { baudRate: 115_200, dataBits: 8, parity: 'none', stopBits: 1 };
export const LINE_7E1_300: LineSettings = { baudRate: 300, dataBits: 7, parity: 'even', stopBits: 1 };

/** "8N1", "7E1" … as support staff write them. */
export function formatLine(s: LineSettings): string {
  return `${s.baudRate} ${s.dataBits}${s.parity[0]!.toUpperCase()}${s.stopBits}`;
}

export function parseFormat(baudRate: number, format: string): LineSettings {
  const m = /^([78])([NOEMS])(1|1\.5|2)$/i.exec(format.trim());
  if (!m) throw new RangeError(`Line format must look like 8N1 or 7E1, got ${format}`);
  const parity = ({ N: 'none', O: 'odd', E: 'even', M: 'mark', S: 'space' } as const)[
    m[2]!.toUpperCase() as 'N' | 'O' | 'E' | 'M' | 'S'
  ];
  return { baudRate, dataBits: Number(m[1]) as 7 | 8, parity, stopBits: Number(m[3]) as 1 | 1.5 | 2 };
}

export function sameLine(a: LineSettings, b: LineSettings): boolean {
  return a.baudRate === b.baudRate && a.dataBits === b.dataBits && a.parity === b.parity && a.stopBits === b.stopBits;
}
