/**
 * OBIS names as the reading model uses them (IEC 62056-61 A-B:C.D.E): the short "C.D.E" for
 * channel 0 of electricity and abstract objects (A = 0 or 1, B = 0), the full "A-B:C.D.E" where
 * the channel matters (M-Bus gas/water/heat on B = 1..4). Names are interned: decoders ask per
 * line, so the same string object is returned without allocating.
 */
// Two small-integer-keyed caches (V8 hashes SMIs much faster than the doubles obisKey makes).
const short = new Map<number, string>();
const cache = new Map<number, string>();

export function obisKey(a: number, b: number, c: number, d: number, e: number): number {
  return (((a * 256 + b) * 256 + c) * 256 + d) * 256 + e;
}

export function obisName(a: number, b: number, c: number, d: number, e: number): string {
  if (b === 0 && a <= 1) {
    const k = (c << 16) | (d << 8) | e;
    let s = short.get(k);
    if (s === undefined) {
      s = `${c}.${d}.${e}`;
      if (short.size < 4096) short.set(k, s);
    }
    return s;
  }
  const key = obisKey(a, b, c, d, e);
  let s = cache.get(key);
  if (s === undefined) {
    s = b === 0 && a <= 1 ? `${c}.${d}.${e}` : `${a}-${b}:${c}.${d}.${e}`;
    if (cache.size < 4096) cache.set(key, s);
  }
  return s;
}
