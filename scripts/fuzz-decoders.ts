/**
 * Fuzzing the meter decoders at scale (a script, not in npm test; the property tests keep their
 * size): for each protocol, ≥ 10^7 inputs made by mutating real captures (test/fixtures/protocols,
 * the same sets bench:decode --peers reads; DL/T 645 and Modbus from their specifications, no
 * public capture being at hand). Every reading is checked against its own frame's checksum by an
 * independent, bit-at-a-time implementation here (not the decoders' table-driven ones), and the
 * run reports crashes (anything thrown), hangs (an input that takes over a second, and again when
 * replayed with the decoder in the same state, so a scheduler stall on a loaded machine is no
 * hang; an input that makes no progress for a minute has its worker stopped and is named) and
 * false readings: a reading whose frame fails its checksum, a CRC-less DSMR reading whose frame holds a second telegram start (two telegrams merged, issue 21
 * item 7), or a reading that differs from what a fresh decoder reads from its frame's bytes alone
 * (values taken from outside the frame, or state of an earlier frame leaking into it).
 *
 *   npx tsx scripts/fuzz-decoders.ts                       # 10^7 per protocol, 2 worker threads
 *   npx tsx scripts/fuzz-decoders.ts --inputs 100000 --workers 1 --protocols dsmr,sml --seed 7
 *   … --slow-ms 1000                                      # wall time over which an input is replayed
 *
 * Inputs are deterministic in (seed, protocol, index): a finding is reproduced with
 * `--protocols P --from I --inputs 1 --dump`, which prints the input's bytes.
 *
 * Each input is a stream as a link delivers it: a pristine frame (so a DSMR decoder has seen a
 * CRC and requires one, as on a live link), the mutated frame, usually another pristine frame,
 * sometimes noise, cut into 1–6 chunks, then end(). DSMR seeds without a CRC (DSMR 2.2/3,
 * EasyMeter, eBZ: the protocol gives them none) are fuzzed for crashes and hangs; their readings
 * are counted apart as "without a checksum to check".
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createDecoder } from '../main/meter/protocols/create-decoder.js';
import type { DecodeEvent } from '../main/meter/protocols/decoder.js';
import type { MeterProtocol, Reading } from '../main/meter/reading.js';

type FuzzProtocol = Exclude<MeterProtocol, never>;

// --- independent checksums (bitwise, from the protocol texts; no tables shared with the decoders) ---

function crc16Reflected(b: Uint8Array, from: number, to: number, poly: number, init: number): number {
  let c = init;
  for (let i = from; i < to; i++) {
    c ^= b[i]!;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
  }
  return c;
}
const arc = (b: Uint8Array, f: number, t: number) => crc16Reflected(b, f, t, 0xa001, 0);
const modbus = (b: Uint8Array, f: number, t: number) => crc16Reflected(b, f, t, 0xa001, 0xffff);
const x25 = (b: Uint8Array, f: number, t: number) => crc16Reflected(b, f, t, 0x8408, 0xffff) ^ 0xffff;
const kermit = (b: Uint8Array, f: number, t: number) => crc16Reflected(b, f, t, 0x8408, 0);
const isAsciiLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const hexDigit = (c: number) => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1);

/** 'ok': the frame's checksum holds; 'none': the frame carries none (DSMR 2.2/3); 'bad': a false reading. */
type Verdict = 'ok' | 'none' | 'bad';

/** Check the bytes of a reading's frame, stream[offset, offset+length), by the protocol's rule. */
function verify(protocol: FuzzProtocol, s: Uint8Array, offset: number, length: number): Verdict {
  const end = offset + length;
  if (offset < 0 || end > s.length || length <= 0) return 'bad';
  switch (protocol) {
    case 'dsmr': {
      // '/' … '!' then 1–4 hex digits (CRC-16/ARC over '/' … '!'), or '!' alone (no CRC).
      if (s[offset] !== 0x2f) return 'bad';
      let bang = end - 1;
      while (bang > offset && s[bang] !== 0x21) bang--;
      if (s[bang] !== 0x21) return 'bad';
      if (bang === end - 1) {
        // No CRC to check: the frame must still be one telegram. A telegram start inside it
        // ('/' + three letters + a digit, DSMR 5.0.2 §6.2) means two were merged.
        for (let i = offset + 1; i + 4 < bang; i++) {
          if (s[i] === 0x2f && isAsciiLetter(s[i + 1]!) && isAsciiLetter(s[i + 2]!) && isAsciiLetter(s[i + 3]!) && s[i + 4]! >= 0x30 && s[i + 4]! <= 0x39) return 'bad';
        }
        return 'none';
      }
      let v = 0;
      for (let i = bang + 1; i < end; i++) {
        const h = hexDigit(s[i]!);
        if (h < 0) return 'bad';
        v = v * 16 + h;
      }
      return end - bang - 1 <= 4 && v === arc(s, offset, bang + 1) ? 'ok' : 'bad';
    }
    case 'sml': {
      // ESC ESC ESC ESC 1A pad crcLo crcHi: X.25 over everything before the CRC; or KERMIT sent
      // high byte first, from a meter whose server id names Holley (the quirks table).
      if (length < 16) return 'bad';
      if (s[end - 8] !== 0x1b || s[end - 4] !== 0x1a) return 'bad';
      if ((s[end - 2]! | (s[end - 1]! << 8)) === x25(s, offset, end - 2)) return 'ok';
      if (((s[end - 2]! << 8) | s[end - 1]!) === kermit(s, offset, end - 2)) {
        // The Holley flag "HLY" must stand in the frame (its server id); else the quirk may not apply.
        for (let i = offset; i + 4 < end; i++) if (s[i] === 0x0a && s[i + 1] === 0x01 && s[i + 2] === 0x48 && s[i + 3] === 0x4c && s[i + 4] === 0x59) return 'ok';
      }
      return 'bad';
    }
    case 'iec62056-21': {
      // STX … ETX BCC, BCC = XOR of everything after STX through ETX.
      if ((s[offset]! & 0x7f) !== 0x02) return 'bad';
      let x = 0;
      for (let i = offset + 1; i < end - 1; i++) x ^= s[i]!;
      return (s[end - 2]! === 0x03 || s[end - 2] === 0x04) && x === s[end - 1] ? 'ok' : 'bad';
    }
    case 'dlt645': {
      // [FE…] 68 A0..A5 68 C L DATA CS 16, CS = sum mod 256 from the first 68 through DATA.
      let i = offset;
      while (i < end && s[i] === 0xfe) i++;
      if (s[i] !== 0x68 || s[i + 7] !== 0x68 || s[end - 1] !== 0x16) return 'bad';
      const n = s[i + 9]!;
      if (i + 12 + n !== end) return 'bad';
      let sum = 0;
      for (let k = i; k < end - 2; k++) sum = (sum + s[k]!) & 0xff;
      return sum === s[end - 2] ? 'ok' : 'bad';
    }
    case 'modbus':
      return length >= 4 && (s[end - 2]! | (s[end - 1]! << 8)) === modbus(s, offset, end - 2) ? 'ok' : 'bad';
  }
}

// --- seeds ---

const root = new URL('../test/fixtures/protocols/', import.meta.url);
const file = (n: string) => new Uint8Array(readFileSync(new URL(n, root)));
const hexFile = (n: string) => Uint8Array.from(Buffer.from(readFileSync(new URL(n, root), 'utf8').trim(), 'hex'));
const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

function dltFrame(ctrl: number, data: number[]): Uint8Array {
  const body = [0x68, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0x68, ctrl, data.length, ...data.map((d) => (d + 0x33) & 0xff)];
  const cs = body.reduce((a, b) => (a + b) & 0xff, 0);
  return Uint8Array.from([0xfe, 0xfe, 0xfe, 0xfe, ...body, cs, 0x16]);
}
function modbusFrame(bytes: number[]): Uint8Array {
  const b = Uint8Array.from(bytes);
  const c = modbus(b, 0, b.length);
  return Uint8Array.from([...bytes, c & 0xff, c >> 8]);
}
const f32 = (v: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v);
  return [...b];
};

/** Real captures per protocol (DL/T 645 and Modbus: frames built from their specifications). */
function seeds(protocol: FuzzProtocol): { checked: Uint8Array[]; unchecked: Uint8Array[] } {
  switch (protocol) {
    case 'dsmr':
      return {
        checked: ['dsmr-v4_2.txt', 'dsmr-v5.txt', 'dsmr-sagemcom-t210-d-r.txt', 'dsmr-fluvius-unit-without-star.txt', 'dsmr-crc-unpadded.txt'].map(file),
        unchecked: ['dsmr-v2_2.txt', 'dsmr-v3.txt', 'dsmr-esy-q3d.txt', 'dsmr-ebz-dd3.txt'].map(file),
      };
    case 'sml':
      return {
        checked: [
          hex(
            '1B1B1B1B010101017605006345516200620072630101760101050021171B0B0A0149534B00047A5544726201650021155A620163828E00760500634552620062007263070177010B0A0149534B00047A5544070100620AFFFF726201650021155A757707010060320101010101010449534B0177070100600100FF010101010B0A0149534B00047A55440177070100010800FF650010010401621E52FF65000C13610177070100020800FF0101621E52FF62000177070100100700FF0101621B5200530860010101638E71007605006345536200620072630201710163AD55001B1B1B1B1A00D54B',
          ),
          ...['sml-dzg-dvs7412-jmberg.hex', 'sml-dzg-dvs7420-mtr2-neg.hex', 'sml-holley-dtz541-bdba.hex', 'sml-holley-dtz541-zdba.hex'].map(hexFile),
        ],
        unchecked: [],
      };
    case 'iec62056-21':
      return { checked: ['iec-heat-meter-sie.bin', 'iec-ace-actaris.bin'].map(file), unchecked: [] };
    case 'dlt645':
      return {
        checked: [
          dltFrame(0x91, [0x00, 0x00, 0x01, 0x00, 0x67, 0x45, 0x23, 0x01]), // 00010000 forward active energy 12345.67 kWh
          dltFrame(0x91, [0x00, 0xff, 0x01, 0x00, 0x67, 0x45, 0x23, 0x01, 0x00, 0x40, 0x00, 0x00, 0x67, 0x05, 0x23, 0x01, 0, 0, 0, 0, 0, 0, 0, 0]),
          dltFrame(0x91, [0x00, 0x00, 0x03, 0x02, 0x00, 0x25, 0x81]), // 02030000 total power, negative
          dltFrame(0x91, [0x00, 0x01, 0x01, 0x02, 0x00, 0x23]), // 02010100 voltage A 230.0 V
          dltFrame(0x11, [0x00, 0x00, 0x01, 0x00]), // a read request
          dltFrame(0xd1, [0x02]), // an abnormal reply
        ],
        unchecked: [],
      };
    case 'modbus':
      return {
        checked: [
          Uint8Array.from([...modbusFrame([1, 4, 0, 0, 0, 14]), ...modbusFrame([1, 4, 28, ...[230.1, 231.2, 229.9, 5.1, 4.2, 3.3, -1520].flatMap(f32)])]),
          Uint8Array.from([...modbusFrame([1, 4, 0, 0x48, 0, 4]), ...modbusFrame([1, 4, 8, ...[12345.67, 890.12].flatMap(f32)])]),
          Uint8Array.from([...modbusFrame([1, 4, 0, 0x48, 0, 4]), ...modbusFrame([1, 0x84, 2])]),
        ],
        unchecked: [],
      };
  }
}

// --- the inputs ---

/** xorshift128+ as two 32-bit halves: fast, and deterministic in its seed. */
class Rng {
  #a: number;
  #b: number;
  constructor(seed: number, index: number) {
    this.#a = (seed ^ 0x9e3779b9) | 1;
    this.#b = (Math.imul(index + 1, 0x85ebca6b) ^ (index >>> 16) ^ seed) | 2;
    for (let k = 0; k < 4; k++) this.next();
  }
  next(): number {
    let x = this.#a;
    const y = this.#b;
    this.#a = y;
    x ^= x << 23;
    x ^= x >>> 17;
    x ^= y ^ (y >>> 26);
    this.#b = x;
    return (x + y) >>> 0;
  }
  int(n: number): number {
    return this.next() % n;
  }
}

const SPECIAL: Record<FuzzProtocol, number[]> = {
  dsmr: [0x2f, 0x21, 0x0d, 0x0a, 0x28, 0x29, 0x2a, 0x2e, 0x3a, 0x2d, 0x30, 0x39, 0x41, 0x46],
  sml: [0x1b, 0x01, 0x1a, 0x00, 0x76, 0x77, 0x72, 0x62, 0x52, 0x53, 0x65, 0x0b, 0xff, 0x80],
  'iec62056-21': [0x02, 0x03, 0x01, 0x06, 0x15, 0x2f, 0x21, 0x28, 0x29, 0x2a, 0x0d, 0x0a, 0x82, 0x8d],
  dlt645: [0x68, 0x16, 0xfe, 0x91, 0xd1, 0x33, 0x00, 0xff],
  modbus: [0x01, 0x04, 0x84, 0x00, 0xff],
};

/** A growable byte buffer the mutations edit in place (no arrays of numbers, no garbage per input). */
class Scratch {
  b = new Uint8Array(1 << 16);
  n = 0;
  reserve(extra: number): void {
    if (this.n + extra <= this.b.length) return;
    const next = new Uint8Array((this.n + extra) * 2);
    next.set(this.b.subarray(0, this.n));
    this.b = next;
  }
  load(src: Uint8Array): void {
    this.n = 0;
    this.reserve(src.length);
    this.b.set(src);
    this.n = src.length;
  }
  insert(at: number, bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.b.copyWithin(at + bytes.length, at, this.n);
    this.b.set(bytes, at);
    this.n += bytes.length;
  }
  remove(at: number, count: number): void {
    const k = Math.min(count, this.n - at);
    this.b.copyWithin(at, at + k, this.n);
    this.n -= k;
  }
}

function mutate(protocol: FuzzProtocol, src: Uint8Array, rng: Rng, others: readonly Uint8Array[], s: Scratch): Uint8Array {
  s.load(src);
  const n = 1 + (rng.int(8) === 0 ? rng.int(8) : rng.int(3));
  for (let m = 0; m < n && s.n > 0; m++) {
    const b = s.b;
    const at = rng.int(s.n);
    switch (rng.int(10)) {
      case 0:
        b[at] = b[at]! ^ (1 << rng.int(8));
        break;
      case 1:
        b[at] = rng.int(256);
        break;
      case 2:
        b[at] = SPECIAL[protocol][rng.int(SPECIAL[protocol].length)]!;
        break;
      case 3:
        s.insert(at, Uint8Array.from({ length: 1 + rng.int(8) }, () => rng.int(256)));
        break;
      case 4:
        s.remove(at, 1 + rng.int(16));
        break;
      case 5: {
        const len = Math.min(1 + rng.int(32), s.n - at);
        s.insert(rng.int(s.n), b.slice(at, at + len));
        break;
      }
      case 6:
        s.n = at;
        break;
      case 7: {
        const o = others[rng.int(others.length)]!;
        const cut = rng.int(o.length);
        s.n = at;
        s.insert(at, o.subarray(cut));
        break;
      }
      case 8: {
        const j = rng.int(s.n);
        const x = b[at]!;
        b[at] = b[j]!;
        b[j] = x;
        break;
      }
      default:
        b[at] = b[at]! ^ (1 << rng.int(8));
        if (s.n > 1) b[rng.int(s.n)] = rng.int(256);
    }
  }
  return s.b.subarray(0, s.n);
}

interface Input {
  readonly stream: Uint8Array;
  readonly cuts: number[];
  /** The input is built around a seed without a checksum (DSMR 2.2/3 …). */
  readonly unchecked: boolean;
}

function makeInput(protocol: FuzzProtocol, seed: number, index: number, pool: { checked: Uint8Array[]; unchecked: Uint8Array[] }, scratch: Scratch): Input {
  const rng = new Rng(seed, index);
  const unchecked = pool.unchecked.length > 0 && rng.int(5) === 0;
  const set = unchecked ? pool.unchecked : pool.checked;
  const all = [...pool.checked, ...pool.unchecked];
  const pick = () => set[rng.int(set.length)]!;
  const parts: Uint8Array[] = [];
  if (rng.int(4) !== 0) parts.push(pick());
  if (rng.int(8) === 0) parts.push(Uint8Array.from({ length: 1 + rng.int(24) }, () => rng.int(256)));
  parts.push(mutate(protocol, pick(), rng, all, scratch));
  if (rng.int(3) !== 0) parts.push(pick());
  const stream = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    stream.set(p, o);
    o += p.length;
  }
  const cuts = Array.from({ length: rng.int(6) }, () => rng.int(stream.length + 1)).sort((x, y) => x - y);
  return { stream, cuts, unchecked };
}

// --- a reading against its frame read alone ---

/**
 * Whether two readings say the same: everything but receivedAt (the host's clock) and, for IEC
 * 62056-21, the meter id (it comes from the identification message before the data block).
 * Field by field, no strings built: it runs on every reading.
 */
function sameReading(protocol: FuzzProtocol, a: Reading, b: Reading): boolean {
  if ((protocol !== 'iec62056-21' && a.meterId !== b.meterId) || a.meterTime !== b.meterTime || (a.unread ?? 0) !== (b.unread ?? 0) || a.text !== b.text) return false;
  if (!sameStrings(a.quirks ?? [], b.quirks ?? []) || !sameStrings(a.raw, b.raw)) return false;
  const qa = a.quantities;
  const qb = b.quantities;
  if (qa.length !== qb.length) return false;
  for (let i = 0; i < qa.length; i++) {
    const x = qa[i]!;
    const y = qb[i]!;
    if (x.obis !== y.obis || x.value !== y.value || x.unit !== y.unit || x.capturedAt !== y.capturedAt) return false;
  }
  return true;
}
function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
/** A reading for a finding's report. */
function describe(r: Reading | string): string {
  return typeof r === 'string' ? r : JSON.stringify({ ...r, receivedAt: undefined }).slice(0, 300);
}

/**
 * The frame's bytes decoded by a fresh decoder, on their own: its one reading, or a description
 * of what came instead. A DSMR telegram gets a line end after it, as the decoder reads up to the
 * byte after its end marker or CRC before it decides.
 */
function readAlone(protocol: FuzzProtocol, frame: Uint8Array): Reading | string {
  const readings: Reading[] = [];
  const others: string[] = [];
  const d = createDecoder(protocol, (e) => (e.kind === 'reading' ? readings.push(e.reading) : e.kind === 'error' ? others.push(e.code) : undefined));
  d.push(frame, 0);
  if (protocol === 'dsmr') d.push(CRLF, 0);
  d.end();
  return readings.length === 1 ? readings[0]! : `${readings.length} readings, errors ${others.join(',')}`;
}
const CRLF = Uint8Array.of(0x0d, 0x0a);

// --- a worker: one protocol, a range of indices ---

interface Tally {
  protocol: FuzzProtocol;
  inputs: number;
  readings: number;
  checked: number;
  withoutChecksum: number;
  falseReadings: number;
  /** Readings equal to their frame read alone by a fresh decoder. */
  consistent: number;
  /** False readings that differ from their frame read alone (counted in falseReadings too). */
  inconsistent: number;
  crashes: number;
  hangs: number;
  /** Inputs over a second of wall time in the run that took under a second when replayed (machine load). */
  stalls: number;
  slowestStallMs: number;
  slowestMs: number;
  errors: Record<string, number>;
  findings: { index: number; kind: string; detail: string }[];
  cpuSeconds: number;
}

/**
 * Time input `index` again, the decoder brought to the state it had before it: a fresh decoder at
 * the last index divisible by 16, then every input from there (reset between), as runRange does.
 */
function replay(protocol: FuzzProtocol, seed: number, index: number, pool: { checked: Uint8Array[]; unchecked: Uint8Array[] }): number {
  const decoder = createDecoder(protocol, () => {});
  const scratch = new Scratch();
  let ms = 0;
  for (let i = index & ~15; i <= index; i++) {
    const input = makeInput(protocol, seed, i, pool, scratch);
    const t0 = performance.now();
    try {
      if (i !== (index & ~15)) decoder.reset();
      let prev = 0;
      for (const c of [...input.cuts, input.stream.length]) {
        decoder.push(input.stream.subarray(prev, c), 0);
        prev = c;
      }
      decoder.end();
    } catch {
      // counted as a crash by the run itself
    }
    ms = performance.now() - t0;
  }
  return ms;
}

function runRange(protocol: FuzzProtocol, seed: number, from: number, to: number, progress: (t: Tally, index: number) => void, dump: boolean, slowMs = 1000): Tally {
  const pool = seeds(protocol);
  const t: Tally = { protocol, inputs: 0, readings: 0, checked: 0, withoutChecksum: 0, falseReadings: 0, consistent: 0, inconsistent: 0, crashes: 0, hangs: 0, stalls: 0, slowestStallMs: 0, slowestMs: 0, errors: {}, findings: [], cpuSeconds: 0 };
  const events: DecodeEvent[] = [];
  const decoder = { current: createDecoder(protocol, (e) => events.push(e)) };
  const scratch = new Scratch();
  // Frames equal to a pristine seed need no bitwise check and no second decode each time: their
  // verdict and their reading alone are known.
  const known = new Map<number, { bytes: Uint8Array; verdict: Verdict; alone: Reading | string }[]>();
  for (const f of [...pool.checked, ...pool.unchecked]) {
    // A seed may hold two frames (Modbus request + answer): the verdict is per reading's frame, so
    // only whole-seed frames are memoised; others take the bitwise path.
    const list = known.get(f.length) ?? [];
    list.push({ bytes: f, verdict: verify(protocol, f, 0, f.length), alone: readAlone(protocol, f) });
    known.set(f.length, list);
  }
  const knownFrame = (s: Uint8Array, offset: number, length: number) => {
    for (const k of known.get(length) ?? []) {
      let same = true;
      for (let i = 0; i < length && same; i++) if (k.bytes[i] !== s[offset + i]) same = false;
      if (same) return k;
    }
    return undefined;
  };
  /** A decoder counts offsets over its whole life: where this input began in it. */
  let base = 0;
  const c0 = process.cpuUsage();
  for (let index = from; index < to; index++) {
    const input = makeInput(protocol, seed, index, pool, scratch);
    if (dump) console.log(`${protocol} #${index}: ${Buffer.from(input.stream).toString('hex')} cuts ${input.cuts.join(',')}`);
    events.length = 0;
    const t0 = performance.now();
    try {
      // A fresh decoder for one input in 16 (a link's whole life), else the last one reset (a
      // reconnect: what it learnt of the meter, such as a DSMR telegram's shape, it keeps).
      if ((index & 15) === 0) {
        decoder.current = createDecoder(protocol, (e) => events.push(e));
        base = 0;
      } else decoder.current.reset();
      let prev = 0;
      for (const c of [...input.cuts, input.stream.length]) {
        decoder.current.push(input.stream.subarray(prev, c), 0);
        prev = c;
      }
      decoder.current.end();
    } catch (e) {
      t.crashes++;
      if (t.findings.length < 50) t.findings.push({ index, kind: 'crash', detail: e instanceof Error ? (e.stack ?? e.message).slice(0, 400) : String(e) });
    }
    let ms = performance.now() - t0;
    if (ms > slowMs) {
      // Over a second of wall time: on a shared machine that may be the scheduler or a GC pause,
      // not the decoder. Replay the input with the decoder in the same state (a fresh one from
      // the last index that made one, as above) three times; it hangs only if it is slow each time.
      const wall = ms;
      ms = Math.min(replay(protocol, seed, index, pool), replay(protocol, seed, index, pool), replay(protocol, seed, index, pool));
      if (ms > slowMs) {
        t.hangs++;
        if (t.findings.length < 50) t.findings.push({ index, kind: 'slow', detail: `${wall.toFixed(0)} ms, replayed ${ms.toFixed(0)} ms` });
      } else {
        t.stalls++;
        if (wall > t.slowestStallMs) t.slowestStallMs = wall;
      }
    }
    if (ms > t.slowestMs) t.slowestMs = ms;
    for (const e of events) {
      if (e.kind === 'error') t.errors[e.code] = (t.errors[e.code] ?? 0) + 1;
      if (e.kind !== 'reading') continue;
      t.readings++;
      const at = e.offset - base;
      const k = knownFrame(input.stream, at, e.length);
      const v = k ? k.verdict : verify(protocol, input.stream, at, e.length);
      const frameHex = () => Buffer.from(input.stream.subarray(at, at + e.length)).toString('hex').slice(0, 200);
      if (v === 'ok') t.checked++;
      else if (v === 'none') t.withoutChecksum++;
      else {
        t.falseReadings++;
        if (t.findings.length < 50) t.findings.push({ index, kind: 'false reading', detail: `offset ${at} length ${e.length}: ${frameHex()}` });
        continue;
      }
      // The reading must be what its frame's bytes say by themselves (Modbus: an answer means
      // nothing without its request, so it is left out of this check).
      if (protocol === 'modbus') continue;
      const alone = k ? k.alone : readAlone(protocol, input.stream.subarray(at, at + e.length));
      if (typeof alone !== 'string' && sameReading(protocol, e.reading, alone)) t.consistent++;
      else {
        t.falseReadings++;
        t.inconsistent++;
        if (t.findings.length < 50) t.findings.push({ index, kind: 'reading differs from its frame read alone', detail: `offset ${at} length ${e.length}: ${frameHex()}\n  in stream: ${describe(e.reading)}\n  alone:     ${describe(alone)}` });
      }
    }
    base += input.stream.length;
    t.inputs++;
    if ((index & 0x3fff) === 0) progress(t, index);
  }
  const cu = process.cpuUsage(c0);
  t.cpuSeconds = (cu.user + cu.system) / 1e6;
  return t;
}

// --- main: shards over worker threads, watchdog for hangs ---

interface Shard {
  protocol: FuzzProtocol;
  from: number;
  to: number;
}

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

if (!isMainThread) {
  const { shard, seed, cursor, slowMs } = workerData as { shard: Shard; seed: number; cursor: Int32Array; slowMs?: number };
  const t = runRange(shard.protocol, seed, shard.from, shard.to, (tally, index) => {
    Atomics.store(cursor, 0, index);
    parentPort!.postMessage({ kind: 'progress', tally });
  }, false, slowMs ?? 1000);
  parentPort!.postMessage({ kind: 'done', tally: t });
} else {
  const inputs = Number(arg('inputs') ?? 10_000_000);
  const workers = Number(arg('workers') ?? 2);
  const seed = Number(arg('seed') ?? 21);
  const start = Number(arg('from') ?? 0);
  /** Wall time over which an input is replayed and, if slow again, a hang. */
  const slowMs = Number(arg('slow-ms') ?? 1000);
  const protocols = (arg('protocols') ?? 'dsmr,sml,iec62056-21,dlt645,modbus').split(',') as FuzzProtocol[];
  if (process.argv.includes('--dump')) {
    for (const p of protocols) console.log(JSON.stringify(runRange(p, seed, start, start + inputs, () => {}, true, slowMs), null, 1));
  } else {
    const shardSize = 250_000;
    const shards: Shard[] = [];
    for (const p of protocols) for (let f = start; f < start + inputs; f += shardSize) shards.push({ protocol: p, from: f, to: Math.min(start + inputs, f + shardSize) });
    const totals = new Map<FuzzProtocol, Tally>();
    const add = (t: Tally) => {
      const a = totals.get(t.protocol);
      if (!a) return void totals.set(t.protocol, { ...t, errors: { ...t.errors }, findings: [...t.findings] });
      for (const k of ['inputs', 'readings', 'checked', 'withoutChecksum', 'falseReadings', 'consistent', 'inconsistent', 'crashes', 'hangs', 'stalls', 'cpuSeconds'] as const) a[k] += t[k];
      a.slowestMs = Math.max(a.slowestMs, t.slowestMs);
      a.slowestStallMs = Math.max(a.slowestStallMs ?? 0, t.slowestStallMs ?? 0);
      for (const [k, v] of Object.entries(t.errors)) a.errors[k] = (a.errors[k] ?? 0) + v;
      a.findings.push(...t.findings.slice(0, Math.max(0, 50 - a.findings.length)));
    };
    const t0 = performance.now();
    console.log(`fuzz-decoders: ${inputs.toLocaleString('en')} inputs per protocol (${protocols.join(', ')}), seed ${seed}, ${workers} worker threads; host ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}`);
    let next = 0;
    let done = 0;
    const runOne = (): Promise<void> =>
      new Promise((resolve) => {
        if (next >= shards.length) return resolve();
        const shard = shards[next++]!;
        const cursor = new Int32Array(new SharedArrayBuffer(4));
        Atomics.store(cursor, 0, shard.from);
        // The worker registers tsx itself: loader hooks of the main thread do not reach workers.
        const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
        const w = new Worker(boot, { eval: true, workerData: { shard, seed, cursor, slowMs } });
        let last = performance.now();
        let finished = false;
        const dog = setInterval(() => {
          if (finished || performance.now() - last < 60_000) return;
          // No progress for a minute: the input at the cursor hangs. Stop the worker, count it.
          finished = true;
          clearInterval(dog);
          const index = Atomics.load(cursor, 0);
          add({ protocol: shard.protocol, inputs: 0, readings: 0, checked: 0, withoutChecksum: 0, falseReadings: 0, consistent: 0, inconsistent: 0, crashes: 0, hangs: 1, stalls: 0, slowestStallMs: 0, slowestMs: 60_000, errors: {}, findings: [{ index, kind: 'hang', detail: 'no progress for 60 s after this input began' }], cpuSeconds: 0 });
          void w.terminate().then(() => resolve(runOne()));
        }, 5_000);
        w.on('message', (m: { kind: string; tally: Tally }) => {
          last = performance.now();
          if (m.kind !== 'done' || finished) return;
          finished = true;
          clearInterval(dog);
          add(m.tally);
          done++;
          if (done % 8 === 0 || done === shards.length) {
            const el = (performance.now() - t0) / 1000;
            console.log(`  ${done}/${shards.length} shards, ${el.toFixed(0)} s`);
          }
          void w.terminate().then(() => resolve(runOne()));
        });
        w.on('error', (e) => {
          if (finished) return;
          finished = true;
          clearInterval(dog);
          add({ protocol: shard.protocol, inputs: 0, readings: 0, checked: 0, withoutChecksum: 0, falseReadings: 0, consistent: 0, inconsistent: 0, crashes: 1, hangs: 0, stalls: 0, slowestStallMs: 0, slowestMs: 0, errors: {}, findings: [{ index: Atomics.load(cursor, 0), kind: 'worker crash', detail: String(e).slice(0, 400) }], cpuSeconds: 0 });
          resolve(runOne());
        });
      });
    await Promise.all(Array.from({ length: workers }, () => runOne()));
    const wall = (performance.now() - t0) / 1000;
    let bad = 0;
    for (const p of protocols) {
      const t = totals.get(p)!;
      bad += t.crashes + t.hangs + t.falseReadings;
      console.log(
        `${p.padEnd(12)} inputs ${t.inputs.toLocaleString('en')}  readings ${t.readings.toLocaleString('en')} (checksum held ${t.checked.toLocaleString('en')}, frames without a checksum ${t.withoutChecksum.toLocaleString('en')})  ` +
          `crashes ${t.crashes}  hangs ${t.hangs}  false readings ${t.falseReadings} (of which differing from the frame read alone ${t.inconsistent}; ${t.consistent.toLocaleString('en')} readings equal to it)  slowest input ${t.slowestMs.toFixed(1)} ms${t.stalls ? ` (${t.stalls} input(s) over ${slowMs} ms of wall time, up to ${t.slowestStallMs.toFixed(0)} ms, were fast replayed: machine load)` : ''}  ${(t.inputs / t.cpuSeconds).toFixed(0)} inputs/CPU-s`,
      );
      console.log(`${''.padEnd(12)} errors: ${Object.entries(t.errors).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}`);
      for (const f of t.findings.slice(0, 10)) console.log(`${''.padEnd(12)} ${f.kind} at input ${f.index} (reproduce: --protocols ${p} --seed ${seed} --from ${f.index} --inputs 1 --dump): ${f.detail}`);
    }
    console.log(`fuzz-decoders: ${bad === 0 ? 'no crash, no hang, no false reading' : `${bad} findings`} in ${(wall / 60).toFixed(1)} min wall`);
    process.exitCode = bad === 0 ? 0 : 1;
  }
}
