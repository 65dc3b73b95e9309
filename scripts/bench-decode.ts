/**
 * Decoder throughput and memory (a script, not a test): streams a large synthetic capture
 * through the DSMR 5 and DL/T 645 decoders in 64 KiB chunks and reports frames/s and peak
 * memory at two capture lengths, so "memory flat with capture length" is visible; then the
 * IEC 62056-21, SML and Modbus decoders once each, so a change to the decoders' shared base
 * shows on every protocol. (Smarty is left out: its cost is WebCrypto's AES-GCM, not ours.)
 *
 *   npm run bench:decode              # 1,000,000 DSMR 5 telegrams, 5,000,000 DL/T 645 frames
 *                                     # (and DSMR with no telegram repeating a shape: worst case)
 *   npm run bench:decode -- --quick   # a tenth of that
 *   npm run bench:decode -- --json    # one JSON line per run as well, for before/after scripts
 *   npm run bench:decode -- --peers   # against smartmeter-obis and dsmr-parser on real captures
 *                                     # (decode-peers.ts); its last line is decode-vs-peers: …
 *
 * Targets (issue 4): ≥ 200,000 DSMR 5 telegrams/s and ≥ 1,000,000 DL/T 645 frames/s on one core.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { StreamDecoder } from '../main/meter/protocols/decoder.js';
import { encodeBcd } from '../main/meter/protocols/dlt645/dlt645-data.js';
import { Dlt645Decoder } from '../main/meter/protocols/dlt645/dlt645-decoder.js';
import { encodeDltFrame } from '../main/meter/protocols/dlt645/dlt645-frame.js';
import { DsmrDecoder } from '../main/meter/protocols/dsmr/dsmr-decoder.js';
import { Iec62056Decoder } from '../main/meter/protocols/iec62056-21/iec-decoder.js';
import { dataBlock } from '../main/meter/protocols/iec62056-21/iec-messages.js';
import { ModbusDecoder } from '../main/meter/protocols/modbus/modbus-decoder.js';
import { readInputRequest, readInputResponse } from '../main/meter/protocols/modbus/modbus-rtu.js';
import { SmlDecoder } from '../main/meter/protocols/sml/sml-decoder.js';
import { ManualClock, SimulatedDsmrMeter, SimulatedIec62056Meter, SimulatedSmlMeter } from '../main/meter/sim/meters/index.js';
import { comparePeers } from './decode-peers.js';

const CHUNK = 65_536;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * 1,000 distinct DSMR 5 telegrams from a simulated day (one per 86 s). A meter repeats its lines
 * with new values, which the decoder reads through the last telegram's shape (dsmr-shape.ts).
 * `everyOneNew` makes each telegram come from another meter (its own equipment id), so no
 * telegram has the shape of one before it and every one goes through the line parser: the
 * worst case, reported beside the real one.
 */
function dsmrBlock(everyOneNew = false): { bytes: Uint8Array; frames: number } {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 0, 0, 0));
  const meter = (k: number) => new SimulatedDsmrMeter({ version: '5.0', clock, seed: 42, equipmentId: `E00250000${String(k).padStart(8, '0')}` });
  const one = meter(0);
  const parts: Uint8Array[] = [];
  for (let k = 0; k < 1000; k++) {
    clock.advance(86_400);
    parts.push(new TextEncoder().encode((everyOneNew ? meter(k) : one).telegram()));
  }
  return { bytes: concat(parts), frames: parts.length };
}

/** 10,000 DL/T 645 replies (energy blocks, power, voltage, current), each with an FE preamble. */
function dltBlock(): { bytes: Uint8Array; frames: number } {
  const parts: Uint8Array[] = [];
  const reply = (di: number, payload: Uint8Array) =>
    encodeDltFrame({ address: '000012345678', control: 0x91, data: concat([Uint8Array.of(di & 0xff, (di >> 8) & 0xff, (di >> 16) & 0xff, di >>> 24), payload]) }, 4);
  for (let k = 0; k < 2500; k++) {
    parts.push(reply(0x00010000, encodeBcd(1_234_567 + k, 4)));
    parts.push(reply(0x02030000, encodeBcd((k % 200) * 137 - 9000, 3, true)));
    parts.push(reply(0x02010100, encodeBcd(2200 + (k % 50), 2)));
    parts.push(reply(0x0001ff00, concat([1_000_000 + k, 400_000, 600_000 + k, 0, 0].map((v) => encodeBcd(v, 4)))));
  }
  return { bytes: concat(parts), frames: parts.length };
}

/** 1,000 frames from a simulated day, one every 86 s: what `frame` makes of the meter at each. */
function simulatedDay(frame: (clock: ManualClock) => () => Uint8Array): { bytes: Uint8Array; frames: number } {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 0, 0, 0));
  const next = frame(clock);
  const parts: Uint8Array[] = [];
  for (let k = 0; k < 1000; k++) {
    clock.advance(86_400);
    parts.push(next());
  }
  return { bytes: concat(parts), frames: parts.length };
}

/** IEC 62056-21 readouts (STX … ETX BCC data blocks). */
const iecBlock = () =>
  simulatedDay((clock) => {
    const meter = new SimulatedIec62056Meter({ clock });
    return () => dataBlock(meter.readout());
  });

/** SML files (escape-framed, CRC'd TLV). */
const smlBlock = () =>
  simulatedDay((clock) => {
    const meter = new SimulatedSmlMeter({ clock });
    return () => meter.file();
  });

/** 5,000 Modbus RTU read-input requests, each followed by its 14-register answer. */
function modbusBlock(): { bytes: Uint8Array; frames: number } {
  const parts: Uint8Array[] = [];
  const registers = new Uint8Array(28);
  const view = new DataView(registers.buffer);
  for (let k = 0; k < 5000; k++) {
    for (let r = 0; r < 7; r++) view.setFloat32(r * 4, 230 + r + (k % 100) / 10);
    parts.push(readInputRequest(1, 0x0000, 14), readInputResponse(1, registers));
  }
  return { bytes: concat(parts), frames: parts.length / 2 };
}

interface Result {
  frames: number;
  /** CPU seconds this process used: on a loaded shared machine, the fair "one core" measure. */
  cpuSeconds: number;
  readings: number;
  errors: number;
  seconds: number;
  mbPerSecond: number;
  peakRssMb: number;
  peakHeapMb: number;
}

function run(make: (onReading: () => void, onError: () => void) => StreamDecoder, block: { bytes: Uint8Array; frames: number }, totalFrames: number): Result {
  let readings = 0;
  let errors = 0;
  const decoder = make(
    () => readings++,
    () => errors++,
  );
  const repeats = Math.ceil(totalFrames / block.frames);
  let peakRss = 0;
  let peakHeap = 0;
  let bytes = 0;
  globalThis.gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = 0; r < repeats; r++) {
    for (let off = 0; off < block.bytes.length; off += CHUNK) {
      const chunk = block.bytes.subarray(off, Math.min(off + CHUNK, block.bytes.length));
      decoder.push(chunk, 0);
      bytes += chunk.length;
    }
    if (r % 64 === 0) {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cu = process.cpuUsage(c0);
  const cpuSeconds = (cu.user + cu.system) / 1e6;
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  return {
    frames: repeats * block.frames,
    readings,
    errors,
    seconds,
    cpuSeconds,
    mbPerSecond: bytes / 1e6 / seconds,
    peakRssMb: peakRss / 2 ** 20,
    peakHeapMb: peakHeap / 2 ** 20,
  };
}

function report(name: string, unit: string, target: number | null, results: Result[]): void {
  for (const r of results) {
    const wall = r.readings / r.seconds;
    const cpu = r.readings / r.cpuSeconds;
    if (json) console.log(JSON.stringify({ name, frames: r.frames, perCpuSecond: Math.round(cpu), mbPerCpuSecond: (r.mbPerSecond * r.seconds) / r.cpuSeconds, byteLoop: base }));
    console.log(
      `${name.padEnd(9)} ${r.frames.toLocaleString('en').padStart(10)} frames  ${Math.round(cpu).toLocaleString('en').padStart(10)} ${unit}/CPU-s ` +
        `(${target ? `${(cpu / target).toFixed(2)}× target; ` : ''}wall ${Math.round(wall).toLocaleString('en')}/s)  ${(r.mbPerSecond * r.seconds / r.cpuSeconds).toFixed(0)} MB/CPU-s = ${((r.mbPerSecond * r.seconds) / r.cpuSeconds / base).toFixed(2)}× byte loop  ` +
        `peak RSS ${r.peakRssMb.toFixed(0)} MiB, heap ${r.peakHeapMb.toFixed(0)} MiB` +
        `${r.errors ? `  ERRORS ${r.errors}` : ''}${r.readings !== r.frames ? `  MISSING ${r.frames - r.readings}` : ''}`,
    );
  }
  const [a, b] = results;
  if (a && b) console.log(`${name.padEnd(9)} memory growth ${b.frames / a.frames}× the capture: RSS ×${(b.peakRssMb / a.peakRssMb).toFixed(2)}, heap ×${(b.peakHeapMb / a.peakHeapMb).toFixed(2)}`);
}

/**
 * The machine's speed right now, in MB/s of the simplest byte loop. Shared CI machines are often
 * loaded; decoder MB/s ÷ this is a cost ratio comparable across machines and loads.
 */
function baselineMBps(): number {
  const b = new Uint8Array(1 << 20).map((_, i) => i * 31);
  let sum = 0;
  let bytes = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (performance.now() - t0 < 500) {
    for (let i = 0; i < b.length; i++) sum = (sum + b[i]!) | 0;
    bytes += b.length;
  }
  if (sum === 42) console.log(''); // keep the loop observable
  const cu = process.cpuUsage(c0);
  return bytes / 1e6 / ((cu.user + cu.system) / 1e6);
}

const quick = process.argv.includes('--quick');
const json = process.argv.includes('--json');
/** The plain byte loop's MB/CPU-s, measured once per run (report() divides by it). */
let base = 0;
if (process.argv.includes('--peers')) comparePeers(quick);
else reportAll();

function reportAll(): void {
  const scale = quick ? 0.1 : 1;
  const dsmr = dsmrBlock();
  const dlt = dltBlock();
  base = baselineMBps();
  console.log(`host: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg()[0]!.toFixed(1)}; plain byte loop ${base.toFixed(0)} MB/CPU-s`);
  console.log(`node ${process.version}, chunks of ${CHUNK} bytes; DSMR 5 telegram ≈ ${Math.round(dsmr.bytes.length / dsmr.frames)} bytes, DL/T 645 frame ≈ ${Math.round(dlt.bytes.length / dlt.frames)} bytes`);
  const mkDsmr = (ok: () => void, bad: () => void) => new DsmrDecoder((e) => (e.kind === 'reading' ? ok() : e.kind === 'error' ? bad() : undefined));
  const mkDlt = (ok: () => void, bad: () => void) => new Dlt645Decoder((e) => (e.kind === 'reading' ? ok() : e.kind === 'error' ? bad() : undefined));
  const mkIec = (ok: () => void, bad: () => void) => new Iec62056Decoder((e) => (e.kind === 'reading' ? ok() : e.kind === 'error' ? bad() : undefined));
  const mkSml = (ok: () => void, bad: () => void) => new SmlDecoder((e) => (e.kind === 'reading' ? ok() : e.kind === 'error' ? bad() : undefined));
  const mkModbus = (ok: () => void, bad: () => void) => new ModbusDecoder((e) => (e.kind === 'reading' ? ok() : e.kind === 'error' ? bad() : undefined));
  run(mkDsmr, dsmr, 100_000); // warm-up (JIT tiers up the shape path late)
  report('DSMR 5', 'telegrams', 200_000, [run(mkDsmr, dsmr, 200_000 * scale), run(mkDsmr, dsmr, 1_000_000 * scale)]);
  // Worst case, for comparison: no telegram repeats a shape, so every one is parsed line by line.
  const dsmrNew = dsmrBlock(true);
  run(mkDsmr, dsmrNew, 20_000);
  report('DSMR new', 'telegrams', 200_000, [run(mkDsmr, dsmrNew, 200_000 * scale)]);
  run(mkDlt, dlt, 200_000);
  report('DL/T 645', 'frames', 1_000_000, [run(mkDlt, dlt, 1_000_000 * scale), run(mkDlt, dlt, 5_000_000 * scale)]);
  const iec = iecBlock();
  run(mkIec, iec, 20_000);
  report('IEC 21', 'readouts', null, [run(mkIec, iec, 200_000 * scale)]);
  const smlData = smlBlock();
  run(mkSml, smlData, 20_000);
  report('SML', 'files', null, [run(mkSml, smlData, 500_000 * scale)]);
  const mb = modbusBlock();
  run(mkModbus, mb, 50_000);
  report('Modbus', 'answers', null, [run(mkModbus, mb, 1_000_000 * scale)]);
}
