/**
 * `npm run bench:anchor`'s region: meter i's day generated on the fly from (seed, i) alone, so a
 * worker builds any range of meters and the household check regenerates one meter's day exactly,
 * with nothing stored. Values look like a household's quarter-hours (a base load with morning and
 * evening peaks; a third of the meters export from rooftop solar at midday); ids and salts are
 * pseudo-random bytes (a benchmark's stand-in for the operator's real ids and secret salts).
 */
export const INTERVALS = 96;
export const SECONDS = 900;

/** One meter's day, written in place (no allocation per meter). */
export interface SyntheticMeter {
  readonly meterId: Uint8Array; // 32
  readonly salts: Uint8Array; // 96 × 32
  readonly importWh: Float64Array; // 96
  readonly exportWh: Float64Array; // 96
  readonly daySalt: Uint8Array; // 32: the meter-day leaf's salt
  importTotal: number;
  exportTotal: number;
}

export function syntheticMeter(): SyntheticMeter {
  return {
    meterId: new Uint8Array(32),
    salts: new Uint8Array(INTERVALS * 32),
    importWh: new Float64Array(INTERVALS),
    exportWh: new Float64Array(INTERVALS),
    daySalt: new Uint8Array(32),
    importTotal: 0,
    exportTotal: 0,
  };
}

/** The day's interval starts and lengths, shared by every meter. */
export function dayColumns(day: number): { starts: Float64Array; seconds: Float64Array } {
  const starts = new Float64Array(INTERVALS);
  const seconds = new Float64Array(INTERVALS).fill(SECONDS);
  for (let k = 0; k < INTERVALS; k++) starts[k] = day * 86_400 + k * SECONDS;
  return { starts, seconds };
}

/** splitmix32 (a well-known 32-bit mixer) over a counter: deterministic words from (seed, meter). */
function mixer(seed: number, meter: number): () => number {
  let s = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(meter + 1, 0xc2b2ae35)) >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function fill(bytes: Uint8Array, next: () => number): void {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  for (let k = 0; k < words.length; k++) words[k] = next();
}

const PEAKS = Float64Array.from({ length: INTERVALS }, (_, k) => {
  const hour = (k * SECONDS) / 3600;
  return 30 * Math.exp(-((hour - 7.5) ** 2) / 2) + 55 * Math.exp(-((hour - 19) ** 2) / 3);
});
const SUN = Float64Array.from({ length: INTERVALS }, (_, k) => Math.max(0, Math.sin((((k * SECONDS) / 3600 - 6) / 12) * Math.PI)));

/** Meter `i` of the region on this seed, written into `m`. */
export function generateMeter(seed: number, i: number, m: SyntheticMeter): void {
  const next = mixer(seed, i);
  fill(m.meterId, next);
  fill(m.salts, next);
  fill(m.daySalt, next);
  const solar = next() % 3 === 0 ? 40 + (next() % 80) : 0;
  let imp = 0;
  let exp = 0;
  for (let k = 0; k < INTERVALS; k++) {
    const net = Math.round(15 + PEAKS[k]! + (next() % 25) - solar * SUN[k]!);
    const a = net > 0 ? net : 0;
    const b = net < 0 ? -net : 0;
    m.importWh[k] = a;
    m.exportWh[k] = b;
    imp += a;
    exp += b;
  }
  m.importTotal = imp;
  m.exportTotal = exp;
}
