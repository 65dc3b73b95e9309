/**
 * OBIS names in the reading model's normal form (IEC 62056-61 "A-B:C.D.E*F"; see README.md):
 *
 *  - the value group F is kept where it names something other than the current value: F = 255
 *    ("not used") is the current register and is left out; any other F (a billing period, a
 *    history index: "1.8.0*96", IEC "6.8*01" → "6.8.0*1") stays, so history never collapses
 *    into the current register;
 *  - the default "1-0:" (electricity, channel 0) is the one prefix left out, always; every other
 *    A-B is written ("0-0:96.14.0", "0-1:24.2.1"), so the short and the full name never collide.
 *
 * Names are interned: decoders ask per line, so the same string object comes back without
 * allocating.
 */
// Small-integer-keyed caches (V8 hashes SMIs much faster than the doubles obisKey makes).
const short = new Map<number, string>();
const cache = new Map<number, string>();

/** F = 255: the current value, no history index. */
export const OBIS_F_CURRENT = 255;

/** A-B:C.D.E as one number (40 bits); `obisKeyF` adds F where it is not the current value. */
export function obisKey(a: number, b: number, c: number, d: number, e: number): number {
  return (((a * 256 + b) * 256 + c) * 256 + d) * 256 + e;
}

/** The key with F folded in above bit 40 (F = 255 adds nothing: the current register's key is obisKey's). */
export function obisKeyF(a: number, b: number, c: number, d: number, e: number, f: number): number {
  const k = obisKey(a, b, c, d, e);
  return f === OBIS_F_CURRENT ? k : k + (f + 1) * 2 ** 40;
}

export function obisName(a: number, b: number, c: number, d: number, e: number, f = OBIS_F_CURRENT): string {
  if (a === 1 && b === 0 && f === OBIS_F_CURRENT) {
    const k = (c << 16) | (d << 8) | e;
    let s = short.get(k);
    if (s === undefined) {
      s = `${c}.${d}.${e}`;
      if (short.size < 4096) short.set(k, s);
    }
    return s;
  }
  const key = obisKeyF(a, b, c, d, e, f);
  let s = cache.get(key);
  if (s === undefined) {
    const head = a === 1 && b === 0 ? '' : `${a}-${b}:`;
    s = f === OBIS_F_CURRENT ? `${head}${c}.${d}.${e}` : `${head}${c}.${d}.${e}*${f}`;
    if (cache.size < 4096) cache.set(key, s);
  }
  return s;
}

/** The F group of a normal-form name (255 for a current register). */
export function obisF(name: string): number {
  const star = name.indexOf('*');
  return star < 0 ? OBIS_F_CURRENT : Number(name.slice(star + 1));
}

/** A current register (no F): what history and roll-ups store. */
export function isCurrentRegister(name: string): boolean {
  return name.indexOf('*') < 0;
}
