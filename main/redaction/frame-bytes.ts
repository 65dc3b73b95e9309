import { identifierByteForms } from './identifiers.js';

/**
 * Meter ids travel inside frames (DSMR 0-0:96.1.1, IEC C.1.0, the DL/T 645 address field, the
 * SML server id). Identified bytes are overwritten with '*' (0x2a); the frame keeps its length
 * so support still sees its structure. Answers the masked copy and how many bytes changed.
 */
export function maskFrameBytes(input: Uint8Array, protocol: string | null, identifiers: Iterable<string>): { bytes: Uint8Array; masked: number } {
  const b = new Uint8Array(input);
  let masked = 0;
  const mask = (from: number, to: number) => {
    for (let i = from; i < to && i < b.length; i++) {
      if (b[i] !== 0x2a) masked++;
      b[i] = 0x2a;
    }
  };
  // Text protocols: scrub the values of identifying OBIS objects.
  const text = latin1(b);
  const textual = [
    /\d-\d:96\.1\.\d(?:\.\d+)?(?:\*\d+)?\(([^)]*)\)/g, // DSMR equipment identifiers (electricity, gas, water)
    /\d-\d:96\.13\.\d(?:\*\d+)?\(([^)]*)\)/g, // DSMR text message: free text from the operator
    /(?:^|[\r\n\x02])(?:\d-\d:)?(?:C\.1\.[01]|0\.0\.[0-9]|96\.1\.[0-9])(?:\*\d+)?\(([^)]*)\)/g, // IEC 62056-21 meter/serial numbers
  ];
  for (const re of textual) {
    for (const m of text.matchAll(re)) {
      const start = m.index + m[0].length - 1 - m[1]!.length;
      mask(start, start + m[1]!.length);
    }
  }
  // DL/T 645-2007 §7.1: 68 A0..A5 68 — the address is the meter number in BCD.
  if (protocol === null || protocol === 'dlt645') {
    for (let i = 0; i + 7 < b.length; i++) {
      if (b[i] === 0x68 && b[i + 7] === 0x68) {
        const addr = b.subarray(i + 1, i + 7);
        const broadcast = addr.every((x) => x === 0x99) || addr.every((x) => x === 0xaa);
        if (!broadcast) mask(i + 1, i + 7);
      }
    }
  }
  // SML (BSI TR-03109-1): server ids are octet strings, TL 0x0b then 10 bytes starting 0x0a or 0x06/0x09.
  if (protocol === null || protocol === 'sml') {
    for (let i = 0; i + 10 < b.length; i++) {
      if (b[i] === 0x0b && (b[i + 1] === 0x0a || b[i + 1] === 0x06 || b[i + 1] === 0x09)) mask(i + 1, i + 11);
    }
  }
  // Known identifiers in any encoding.
  for (const id of identifiers) {
    for (const needle of identifierByteForms(id)) {
      if (needle.length < 3) continue;
      for (let at = indexOf(b, needle, 0); at >= 0; at = indexOf(b, needle, at + 1)) mask(at, at + needle.length);
    }
  }
  return { bytes: b, masked };
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return s;
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
