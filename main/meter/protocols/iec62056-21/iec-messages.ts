/**
 * IEC 62056-21 (ex IEC 61107) mode C messages. The exchange (§6.3.3):
 *
 *   host  → "/?!\r\n"                      sign-on at 300 baud 7E1 (or "/?<address>!\r\n")
 *   meter → "/XXXZ<ident>\r\n"             XXX manufacturer, Z baud character (Table 1)
 *   host  → ACK "0" Z "0" "\r\n"           option select: protocol 0, speed Z, mode 0 = readout
 *                                          (mode 1 = programming, for P.01 load profile)
 *   both switch to the speed of Z (§6.3.14: the meter after ≥ 200 ms)
 *   meter → STX <data lines> "!\r\n" ETX BCC
 *
 * BCC (§6.3.3 (23)): XOR of every byte after STX (or SOH) up to and including ETX.
 */
export const STX = 0x02;
export const ETX = 0x03;
export const SOH = 0x01;
export const ACK = 0x06;
export const NAK = 0x15;

/** Mode C baud characters (Table 1). */
export const BAUD_CHARS: Record<string, number> = {
  '0': 300,
  '1': 600,
  '2': 1200,
  '3': 2400,
  '4': 4800,
  '5': 9600,
  '6': 19200,
};

export function baudChar(baud: number): string {
  for (const [c, b] of Object.entries(BAUD_CHARS)) if (b === baud) return c;
  throw new RangeError(`No IEC 62056-21 mode C baud character for ${baud}`);
}

const enc = new TextEncoder();

export function signOn(address = ''): Uint8Array {
  return enc.encode(`/?${address}!\r\n`);
}

export function optionSelect(baud: string, mode: '0' | '1' = '0'): Uint8Array {
  return enc.encode(`\x060${baud}${mode}\r\n`);
}

export interface Identification {
  readonly manufacturer: string;
  readonly baudChar: string;
  /** Highest speed the meter offers; null if the character is not a mode C one. */
  readonly baud: number | null;
  readonly ident: string;
}

/** "/XXXZident" (without CR LF) → fields; null if not an identification message. */
export function parseIdentification(line: string): Identification | null {
  if (line.length < 5 || line[0] !== '/' || line[1] === '?') return null;
  const manufacturer = line.slice(1, 4);
  if (!/^[A-Za-z]{3}$/.test(manufacturer)) return null;
  const z = line[4]!;
  return { manufacturer, baudChar: z, baud: BAUD_CHARS[z] ?? null, ident: line.slice(5) };
}

export function identification(id: Identification): Uint8Array {
  return enc.encode(`/${id.manufacturer}${id.baudChar}${id.ident}\r\n`);
}

export function bcc(bytes: Uint8Array, start: number, end: number): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i]!;
  return x;
}

/** STX body ETX BCC. */
export function dataBlock(body: string): Uint8Array {
  const b = enc.encode(body);
  const out = new Uint8Array(b.length + 3);
  out[0] = STX;
  out.set(b, 1);
  out[b.length + 1] = ETX;
  out[b.length + 2] = bcc(out, 1, b.length + 2);
  return out;
}

/** Programming-mode command: SOH C D STX body ETX BCC, e.g. R5 "P.01(2405250000;2405251200)". */
export function command(c: string, d: string, body: string): Uint8Array {
  const b = enc.encode(`${c}${d}\x02${body}\x03`);
  const out = new Uint8Array(b.length + 2);
  out[0] = SOH;
  out.set(b, 1);
  out[b.length + 1] = bcc(out, 1, b.length + 1);
  return out;
}
