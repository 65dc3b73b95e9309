import type { DecodeEvent, DecodeListener, StreamDecoder } from '../../../../main/meter/protocols/decoder.js';

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (h) => parseInt(h, 16));

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Feed `bytes` split at `cuts` (sorted offsets), end the stream, and collect every event. */
export async function decodeChunked(
  make: (l: DecodeListener) => StreamDecoder,
  bytes: Uint8Array,
  cuts: readonly number[] = [],
): Promise<DecodeEvent[]> {
  const events: DecodeEvent[] = [];
  const d = make((e) => events.push(e));
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    const at = Math.max(prev, Math.min(c, bytes.length));
    d.push(bytes.subarray(prev, at), 1000);
    prev = at;
  }
  await d.settled();
  d.end();
  await d.settled();
  return events;
}

export const readings = (events: readonly DecodeEvent[]) => events.flatMap((e) => (e.kind === 'reading' ? [e.reading] : []));
export const errors = (events: readonly DecodeEvent[]) => events.flatMap((e) => (e.kind === 'error' ? [e] : []));
