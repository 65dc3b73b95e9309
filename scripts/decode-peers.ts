/**
 * bench:decode --peers: Wattlet's decoders against the JavaScript parsers people use for the
 * same meters, interleaved in one process on the same real captures (test/fixtures/protocols),
 * per CPU-second. Nothing is installed at run time: the peers are devDependencies.
 *
 *  - smartmeter-obis 4 (Apollon77): D0Protocol for DSMR and IEC 62056-21 readouts, driven
 *    through its own sign-on → data states as its serial transport does; SmlProtocol for SML
 *    (open-sml underneath, its per-message CRCs checked).
 *  - dsmr-parser 2 (robertklep): parse() of one telegram (DSMR 4+, CRC checked).
 *
 * Beside them, two ceilings of the DSMR full parse on the same telegrams: CRC-16/ARC alone, and
 * JSON.parse of the readings the decoder produced (a floor for building those objects at all).
 *
 * dsmr_parser (the Python reference) cannot be installed here (no PyPI, no Debian package); its
 * rate is taken from the figures issue 21 quotes and said so.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import type { StreamDecoder } from '../main/meter/protocols/decoder.js';
import { crc16Arc } from '../main/meter/protocols/crc16.js';
import { DsmrDecoder } from '../main/meter/protocols/dsmr/dsmr-decoder.js';
import { Iec62056Decoder } from '../main/meter/protocols/iec62056-21/iec-decoder.js';
import { SmlDecoder } from '../main/meter/protocols/sml/sml-decoder.js';

const require = createRequire(import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../test/fixtures/protocols/${name}`, import.meta.url)));
const hexFixture = (name: string) => Uint8Array.from(Buffer.from(readFileSync(new URL(`../test/fixtures/protocols/${name}`, import.meta.url), 'utf8').trim(), 'hex'));

/** The real DSMR telegrams (one per file), the real SML transmissions, the real IEC readouts. */
export const DSMR_TELEGRAMS = [
  'dsmr-v2_2.txt',
  'dsmr-v3.txt',
  'dsmr-v4_2.txt',
  'dsmr-v5.txt',
  'dsmr-sagemcom-t210-d-r.txt',
  'dsmr-esy-q3d.txt',
  'dsmr-ebz-dd3.txt',
  'dsmr-fluvius-unit-without-star.txt',
  'dsmr-crc-unpadded.txt',
].map(fixture);
const ISKRA_MT175 =
  '1B1B1B1B010101017605006345516200620072630101760101050021171B0B0A0149534B00047A5544726201650021155A620163828E00760500634552620062007263070177010B0A0149534B00047A5544070100620AFFFF726201650021155A757707010060320101010101010449534B0177070100600100FF010101010B0A0149534B00047A55440177070100010800FF650010010401621E52FF65000C13610177070100020800FF0101621E52FF62000177070100100700FF0101621B5200530860010101638E71007605006345536200620072630201710163AD55001B1B1B1B1A00D54B';
export const SML_TRANSMISSIONS = [
  Uint8Array.from(Buffer.from(ISKRA_MT175, 'hex')),
  ...['sml-dzg-dvs7412-jmberg.hex', 'sml-dzg-dvs7420-mtr2-neg.hex', 'sml-holley-dtz541-bdba.hex', 'sml-holley-dtz541-zdba.hex'].map(hexFixture),
];
export const IEC_READOUTS = ['iec-heat-meter-sie.bin', 'iec-ace-actaris.bin'].map(fixture);

interface Contestant {
  readonly name: string;
  /** Decode the whole set once; returns how many readings it produced. */
  readonly run: () => number;
  cpu: number;
  frames: number;
  readings: number;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A Wattlet streaming decoder over the set, as one stream (as a link delivers it). */
function wattlet(make: (onReading: () => void) => StreamDecoder, stream: Uint8Array): () => number {
  let n = 0;
  const d = make(() => n++);
  return () => {
    n = 0;
    for (let off = 0; off < stream.length; off += 65_536) d.push(stream.subarray(off, Math.min(off + 65_536, stream.length)), 0);
    return n;
  };
}

// --- the peers, through their own entry points ---

interface D0ProtocolLike {
  initState(): void;
  checkMessage(message: Buffer): boolean;
  handleMessage(message: Buffer): Buffer | null;
}
interface SmlProtocolLike {
  handleMessage(message: Buffer): Buffer | null;
}
type ProtocolCtor<T> = new (options: Record<string, unknown>, store: (err: unknown, data: unknown) => void) => T;

const quiet = { debug: 0, logger: () => {}, obisFallbackMedium: 1, protocolD0WakeupCharacters: 0 };

/**
 * smartmeter-obis D0Protocol as its serial transport drives a meter that pushes (mode D): check
 * and handle the identification message, then check and handle the data message after it.
 */
function smartmeterObisD0(messages: readonly Uint8Array[]): () => number {
  const D0 = require('smartmeter-obis/lib/protocols/D0Protocol.js') as ProtocolCtor<D0ProtocolLike>;
  let n = 0;
  const p = new D0(quiet, (err, data) => {
    if (!err && data) n++;
  });
  const buffers = messages.map((m) => Buffer.from(m));
  return () => {
    n = 0;
    for (const b of buffers) {
      p.initState();
      if (!p.checkMessage(b)) continue;
      const rest = p.handleMessage(b);
      if (rest && rest.length && p.checkMessage(rest)) p.handleMessage(rest);
    }
    return n;
  };
}

function smartmeterObisSml(transmissions: readonly Uint8Array[]): () => number {
  const Sml = require('smartmeter-obis/lib/protocols/SmlProtocol.js') as ProtocolCtor<SmlProtocolLike>;
  let n = 0;
  const p = new Sml(quiet, (err, data) => {
    if (!err && data) n++;
  });
  const buffers = transmissions.map((t) => Buffer.from(t));
  return () => {
    n = 0;
    for (const b of buffers) p.handleMessage(b);
    return n;
  };
}

function dsmrParser(telegrams: readonly Uint8Array[]): () => number {
  const parser = require('dsmr-parser') as { parse(telegram: string): unknown };
  const texts = telegrams.map((t) => Buffer.from(t).toString('latin1'));
  return () => {
    let n = 0;
    for (const t of texts) {
      try {
        parser.parse(t);
        n++;
      } catch {
        // not a telegram it reads (CRC-less, unpadded CRC, *255 codes): counted as tried
      }
    }
    return n;
  };
}

/** Run the contestants round-robin until each has used about `seconds` of CPU. */
function race(contestants: Contestant[], framesPerRun: number, seconds: number): void {
  // Warm up: the JIT tiers a hot function up only after thousands of calls, for every contestant.
  for (const c of contestants) {
    const c0 = process.cpuUsage();
    for (let k = 0; k < 20_000 / framesPerRun || (process.cpuUsage(c0).user < 300_000 && k < 1_000_000); k++) c.run();
  }
  let rounds = 0;
  while (contestants.some((c) => c.cpu < seconds) && rounds < 1_000_000) {
    rounds++;
    for (const c of contestants) {
      const repeats = Math.max(1, Math.ceil(2000 / framesPerRun));
      const c0 = process.cpuUsage();
      let got = 0;
      for (let r = 0; r < repeats; r++) got += c.run();
      const cu = process.cpuUsage(c0);
      c.cpu += (cu.user + cu.system) / 1e6;
      c.frames += repeats * framesPerRun;
      c.readings += got;
    }
  }
}

const rate = (c: Contestant) => c.frames / c.cpu;
/** Keeps the ceilings' results observable, so the JIT cannot drop the work. */
let sink = 0;
const fmt = (n: number) => Math.round(n).toLocaleString('en');

export function comparePeers(quick: boolean): void {
  const seconds = quick ? 0.5 : 3;
  console.log(`host: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg()[0]!.toFixed(1)}; node ${process.version}`);
  console.log(`real captures: ${DSMR_TELEGRAMS.length} DSMR telegrams, ${SML_TRANSMISSIONS.length} SML transmissions, ${IEC_READOUTS.length} IEC 62056-21 readouts (test/fixtures/protocols)`);
  const mk = (name: string, run: () => number): Contestant => ({ name, run, cpu: 0, frames: 0, readings: 0 });

  // DSMR, full parse: meters interleaved, so no telegram has the shape of the one before it.
  const dsmrStream = concat(DSMR_TELEGRAMS);
  const dsmrFull = [
    // One decoder reads all nine meters; CRC-less ones among them, so a CRC is not required
    // after the first (crc: 'none' still checks every CRC a telegram carries).
    mk('wattlet dsmr (full parse)', wattlet((ok) => new DsmrDecoder((e) => (e.kind === 'reading' ? ok() : undefined), { crc: 'none' }), dsmrStream)),
    mk('smartmeter-obis D0', smartmeterObisD0(DSMR_TELEGRAMS)),
    mk('dsmr-parser', dsmrParser(DSMR_TELEGRAMS)),
  ];
  race(dsmrFull, DSMR_TELEGRAMS.length, seconds);
  // DSMR, fast path: each meter repeats itself (64 telegrams of one, then the next meter).
  const fastStream = concat(DSMR_TELEGRAMS.flatMap((t) => Array.from({ length: 64 }, () => t)));
  const dsmrFast = [mk('wattlet dsmr (repeating meter)', wattlet((ok) => new DsmrDecoder((e) => (e.kind === 'reading' ? ok() : undefined), { crc: 'none' }), fastStream))];
  race(dsmrFast, DSMR_TELEGRAMS.length * 64, seconds);
  const smlRace = [
    mk('wattlet sml', wattlet((ok) => new SmlDecoder((e) => (e.kind === 'reading' ? ok() : undefined)), concat(SML_TRANSMISSIONS))),
    mk('smartmeter-obis SML', smartmeterObisSml(SML_TRANSMISSIONS)),
  ];
  race(smlRace, SML_TRANSMISSIONS.length, seconds);
  const iecRace = [
    mk('wattlet iec62056-21', wattlet((ok) => new Iec62056Decoder((e) => (e.kind === 'reading' ? ok() : undefined)), concat(IEC_READOUTS))),
    mk('smartmeter-obis D0', smartmeterObisD0(IEC_READOUTS)),
  ];
  race(iecRace, IEC_READOUTS.length, seconds);

  for (const [title, group] of [
    ['DSMR, meters interleaved (full parse)', dsmrFull],
    ['DSMR, a meter repeating itself', dsmrFast],
    ['SML', smlRace],
    ['IEC 62056-21', iecRace],
  ] as const) {
    console.log(title);
    for (const c of group) {
      console.log(`  ${c.name.padEnd(32)} ${fmt(rate(c)).padStart(11)} frames/CPU-s  (${fmt(c.frames)} frames in ${c.cpu.toFixed(2)} CPU-s; readings ${fmt(c.readings)})`);
    }
  }
  // Ceilings of the full parse, measured here: CRC-16/ARC alone over every telegram, and V8's
  // JSON.parse of the readings the decoder produces (what building those objects costs at least).
  const readingsJson: string[] = [];
  const collect = new DsmrDecoder((e) => (e.kind === 'reading' ? readingsJson.push(JSON.stringify(e.reading)) : undefined), { crc: 'none' });
  collect.push(dsmrStream, 0);
  const ceilings = [
    mk('crc16/ARC alone', () => {
      for (const t of DSMR_TELEGRAMS) sink ^= crc16Arc(t, 0, t.length);
      return DSMR_TELEGRAMS.length;
    }),
    mk('JSON.parse of the readings', () => {
      for (const j of readingsJson) sink ^= (JSON.parse(j) as { quantities: unknown[] }).quantities.length;
      return readingsJson.length;
    }),
  ];
  race(ceilings, DSMR_TELEGRAMS.length, seconds / 3);
  console.log('DSMR ceilings (same telegrams)');
  for (const c of ceilings) console.log(`  ${c.name.padEnd(32)} ${fmt(rate(c)).padStart(11)} frames/CPU-s`);
  const full = rate(dsmrFull[0]!);
  const bestJs = Math.max(rate(dsmrFull[1]!), rate(dsmrFull[2]!));
  const sml = rate(smlRace[0]!);
  const iec = rate(iecRace[0]!);
  // Issue 21: 179–193k/s was 62–86× dsmr_parser, so dsmr_parser read 2.1k–3.1k telegrams/s there.
  const pyLow = 179_000 / 86;
  const pyHigh = 193_000 / 62;
  console.log(
    `dsmr_parser (Python): not installable here (PyPI unreachable; Debian packages no dsmr parser). From the issue's figures it reads ${fmt(pyLow)}–${fmt(pyHigh)} telegrams/s; dsmr_full is ${(full / pyHigh).toFixed(0)}–${(full / pyLow).toFixed(0)}× that (goal ≥ 100×).`,
  );
  console.log(
    `decode-vs-peers: dsmr_full=${Math.round(full)} dsmr_fast=${Math.round(rate(dsmrFast[0]!))} sml=${Math.round(sml)} iec=${Math.round(iec)} sml_vs_smartmeter_obis=${(sml / rate(smlRace[1]!)).toFixed(2)} iec_vs_smartmeter_obis=${(iec / rate(iecRace[1]!)).toFixed(2)} dsmr_full_vs_best_js=${(full / bestJs).toFixed(2)}`,
  );
}
