/**
 * Text helpers of the DSMR parser: latin1 strings from bytes, hex-coded ASCII (equipment ids,
 * messages), and the per-decoder memo that strings repeating lines once.
 */
const decoder = new TextDecoder('latin1');

export function text(buf: Uint8Array, s: number, e: number): string {
  // Short lines: fromCharCode beats a TextDecoder call; long ones (text messages) use the decoder.
  return e - s <= 256 ? String.fromCharCode.apply(null, buf.subarray(s, e) as unknown as number[]) : decoder.decode(buf.subarray(s, e));
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Equipment ids and texts are hex-coded ASCII (DSMR 5.0.2 §6.12); fall back to the hex itself. */
export function hexAscii(buf: Uint8Array, s: number, e: number): string {
  if ((e - s) % 2 !== 0) return text(buf, s, e);
  let out = '';
  for (let i = s; i < e; i += 2) {
    const hi = hexValue(buf[i]!);
    const lo = hexValue(buf[i + 1]!);
    if (hi < 0 || lo < 0) return text(buf, s, e);
    const c = hi * 16 + lo;
    if (c < 0x20 || c > 0x7e) return text(buf, s, e);
    out += String.fromCharCode(c);
  }
  return out;
}

/** The equipment id repeats in every telegram: a decoder keeps one memo to decode it once. */
export class DsmrParseMemo {
  idBytes: Uint8Array = new Uint8Array(0);
  id = '';
  /** Raw lines (version, failure log, M-Bus ids) repeat verbatim: string them once. */
  readonly #lines = new Map<number, { bytes: Uint8Array; text: string }>();

  text(buf: Uint8Array, s: number, e: number): string {
    return this.#strung(this.#lines, buf, s, e, text);
  }

  /** Text messages (hex-coded ASCII) repeat from telegram to telegram as well. */
  readonly #messages = new Map<number, { bytes: Uint8Array; text: string }>();

  hexText(buf: Uint8Array, s: number, e: number): string {
    return this.#strung(this.#messages, buf, s, e, hexAscii);
  }

  #strung(lines: Map<number, { bytes: Uint8Array; text: string }>, buf: Uint8Array, s: number, e: number, decode: (buf: Uint8Array, s: number, e: number) => string): string {
    let h = e - s;
    for (let i = s; i < e; i++) h = (Math.imul(h, 31) + buf[i]!) | 0;
    const hit = lines.get(h);
    if (hit && hit.bytes.length === e - s) {
      const hb = hit.bytes;
      const n = hb.length;
      let i = 0;
      while (i < n && hb[i] === buf[s + i]) i++;
      if (i === n) return hit.text;
    }
    const t = decode(buf, s, e);
    if (lines.size >= 256) lines.clear();
    lines.set(h, { bytes: buf.slice(s, e), text: t });
    return t;
  }

  /** The last few ids (a decoder may read several meters in turn): bytes and their text. */
  readonly #ids: { bytes: Uint8Array; id: string }[] = [];

  equipmentId(buf: Uint8Array, s: number, e: number): string {
    const n = e - s;
    const id = this.idBytes;
    if (n === id.length && same(id, buf, s)) return this.id;
    for (const k of this.#ids) {
      if (k.bytes.length === n && same(k.bytes, buf, s)) {
        this.idBytes = k.bytes;
        this.id = k.id;
        return k.id;
      }
    }
    this.idBytes = buf.slice(s, e);
    this.id = hexAscii(buf, s, e);
    if (this.#ids.length >= 8) this.#ids.shift();
    this.#ids.push({ bytes: this.idBytes, id: this.id });
    return this.id;
  }
}

function same(a: Uint8Array, buf: Uint8Array, s: number): boolean {
  const n = a.length;
  let i = 0;
  while (i < n && buf[s + i] === a[i]) i++;
  return i === n;
}

/** Index of the LF ending the line that contains `from` (or `end`). */
export function lineEnd(buf: Uint8Array, from: number, end: number): number {
  let i = from;
  while (i < end && buf[i] !== 0x0a) i++;
  return i;
}
