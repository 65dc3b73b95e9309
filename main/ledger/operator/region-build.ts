import { mkdir, opendir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { WattletError } from '../../api/errors.js';
import { formatDay } from '../day.js';
import type { IntervalHandover } from '../tree/handover.js';
import { MeterDayHasher } from '../tree/meter-day-hasher.js';
import { buildRegionTree, RegionPartition, type RegionTree } from '../tree/region-tree.js';
import { bytes, hex } from '../verify/bytes.js';
import { readHandoverFile } from './handover-files.js';
import { meterDaySalt } from './official-day.js';

export interface RegionBuildOptions {
  readonly regionId: string;
  readonly day: number;
  /** Per-meter day files as the operator's metering writes them: <from>/<meterId>/<YYYY-MM-DD>.json (wattlet.intervals/1). */
  readonly from: string;
  /** Checkpoints of finished chunks, so that a killed run resumes where it stopped. */
  readonly work: string;
  /** The operator's secret the meter-day salts derive from (official-day.ts meterDaySalt). */
  readonly secret: string;
  /** Meter folders per checkpoint (default 4096). */
  readonly chunk?: number;
  /** Whether a meter is registered in the region; one that is not is refused (LEDGER_REGION_METER_NOT_IN_REGION). */
  readonly registered?: (meterId: string) => boolean;
  /** After each checkpoint: meter folders looked at, meters in the tree so far, and how many came from an earlier run. */
  readonly onCheckpoint?: (p: { readonly entries: number; readonly meters: number; readonly resumedEntries: number }) => void;
}

export interface RegionBuild {
  readonly tree: RegionTree;
  /** Meter folders an earlier, interrupted run had already done. */
  readonly resumedEntries: number;
  /** Meter folders this run read. */
  readonly readEntries: number;
}

const progressSchema = z.object({
  format: z.literal('wattlet.region-build/1'),
  regionId: z.string(),
  day: z.number().int(),
  entries: z.number().int().nonnegative(),
  lastEntry: z.string().nullable(),
  parts: z.number().int().nonnegative(),
  meters: z.number().int().nonnegative(),
});
type Progress = z.infer<typeof progressSchema>;

const METER_DIR = /^0x[0-9a-fA-F]{64}$/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function partFile(work: string, k: number): string {
  return join(work, `part-${String(k).padStart(6, '0')}.bin`);
}

async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await writeFile(`${path}.tmp`, data);
  await rename(`${path}.tmp`, path);
}

async function readProgress(work: string, regionId: string, day: number): Promise<Progress | null> {
  let text: string;
  try {
    text = await readFile(join(work, 'progress.json'), 'utf8');
  } catch {
    return null;
  }
  const p = progressSchema.safeParse(JSON.parse(text));
  // Checkpoints of another region or day are not this build's: start afresh.
  return p.success && p.data.regionId === regionId.toLowerCase() && p.data.day === day ? p.data : null;
}

/**
 * Builds one region-day tree from the operator's per-meter day files, streamed: the folder is
 * walked entry by entry (never listed whole), each meter's file read, its intervals' root rebuilt
 * over bytes and compared with the file's, and its meter-day leaf kept as a 144-byte record.
 * Every `chunk` meter folders the records so far go to a checkpoint file and the position to
 * progress.json, so a run killed at any moment resumes from its last checkpoint (the folder is
 * walked in the same order; the entry it stopped after is checked). Memory is one chunk of files
 * plus 144 bytes a meter. Refuses, with nothing anchored: a file of another meter or day
 * (LEDGER_REGION_WRONG_DAY), a file whose intervals do not build its root or totals
 * (LEDGER_REGION_ROOT_MISMATCH), a meter not registered in the region, a meter twice, an empty region.
 */
export async function buildRegionFromFolder(opts: RegionBuildOptions): Promise<RegionBuild> {
  const regionId = opts.regionId.toLowerCase();
  const chunk = Math.max(1, opts.chunk ?? 4096);
  const date = formatDay(opts.day);
  await mkdir(opts.work, { recursive: true });
  let progress = await readProgress(opts.work, regionId, opts.day);
  if (!progress) {
    for (const f of await readdir(opts.work)) if (f.startsWith('part-')) await rm(join(opts.work, f));
    progress = { format: 'wattlet.region-build/1', regionId, day: opts.day, entries: 0, lastEntry: null, parts: 0, meters: 0 };
  }
  const resumedEntries = progress.entries;
  const hasher = new MeterDayHasher();
  const root = new Uint8Array(32);
  let partition = new RegionPartition(opts.day, Math.min(chunk, 65_536));
  let entries = 0;
  let inChunk = 0;
  let lastEntry: string | null = null;

  const checkpoint = async (): Promise<void> => {
    const p: Progress = { ...progress!, entries, lastEntry, parts: progress!.parts + 1, meters: progress!.meters + partition.count };
    await writeAtomic(partFile(opts.work, progress!.parts), partition.bytes());
    await writeAtomic(join(opts.work, 'progress.json'), JSON.stringify(p) + '\n');
    progress = p;
    partition = new RegionPartition(opts.day, Math.min(chunk, 65_536));
    inChunk = 0;
    opts.onCheckpoint?.({ entries, meters: p.meters, resumedEntries });
  };

  const dir = await opendir(opts.from);
  for await (const entry of dir) {
    entries++;
    lastEntry = entry.name;
    if (entries <= resumedEntries) {
      if (entries === resumedEntries && entry.name !== progress.lastEntry) {
        throw new WattletError('LEDGER_REGION_WRONG_DAY', `The folder changed since the interrupted run (expected ${progress.lastEntry} at entry ${entries}); delete ${opts.work} to start afresh`, { path: opts.from });
      }
      continue;
    }
    if (entry.isDirectory() && METER_DIR.test(entry.name)) {
      const file = join(opts.from, entry.name, `${date}.json`);
      const h = await readHandoverFile(file).catch((e: unknown) => {
        if (e instanceof WattletError && e.cause instanceof Error && 'code' in e.cause && e.cause.code === 'ENOENT') return null;
        throw e;
      });
      // A meter with no file for the day has no leaf today (a new or dead meter).
      if (h) addMeter(partition, hasher, root, h, entry.name.toLowerCase(), file, opts, regionId);
    }
    if (++inChunk >= chunk) await checkpoint();
  }
  if (inChunk > 0 || progress.parts === 0) await checkpoint();

  const parts: RegionPartition[] = [];
  for (let k = 0; k < progress.parts; k++) parts.push(RegionPartition.of(opts.day, new Uint8Array(await readFile(partFile(opts.work, k)))));
  const tree = buildRegionTree(regionId, opts.day, parts);
  return { tree, resumedEntries, readEntries: entries - resumedEntries };
}

function addMeter(partition: RegionPartition, hasher: MeterDayHasher, root: Uint8Array, h: IntervalHandover, folder: string, file: string, opts: RegionBuildOptions, regionId: string): void {
  const meterId = h.meterId.toLowerCase();
  if (meterId !== folder || h.day !== opts.day) {
    throw new WattletError('LEDGER_REGION_WRONG_DAY', `${file} is for meter ${meterId} on ${formatDay(h.day)}`, { path: file, meterId, date: formatDay(h.day) });
  }
  if (opts.registered && !opts.registered(meterId)) {
    throw new WattletError('LEDGER_REGION_METER_NOT_IN_REGION', `Meter ${meterId} is not registered in region ${regionId}`, { meterId, regionId });
  }
  const n = h.intervals.length;
  const num = (text: string): number => {
    const v = BigInt(text);
    if (v > MAX_SAFE) throw new WattletError('LEDGER_REGION_ROOT_MISMATCH', `${file}: an interval of ${text} Wh`, { path: file, meterId });
    return Number(v);
  };
  const salts = new Uint8Array(n * 32);
  let imp = 0n;
  let exp = 0n;
  h.intervals.forEach((iv, i) => {
    salts.set(bytes(iv.salt), i * 32);
    imp += BigInt(iv.importWh);
    exp += BigInt(iv.exportWh);
  });
  hasher.root(
    {
      meterId: bytes(meterId),
      count: n,
      starts: h.intervals.map((iv) => iv.start),
      seconds: h.intervals.map((iv) => iv.seconds),
      importWh: h.intervals.map((iv) => num(iv.importWh)),
      exportWh: h.intervals.map((iv) => num(iv.exportWh)),
      salts,
    },
    root,
  );
  if (hex(root) !== h.root.toLowerCase() || imp !== BigInt(h.importWh) || exp !== BigInt(h.exportWh)) {
    throw new WattletError('LEDGER_REGION_ROOT_MISMATCH', `${file}: its intervals do not build its root or totals`, { path: file, meterId, root: h.root, rebuilt: hex(root) });
  }
  partition.add(bytes(meterId), root, imp, exp, bytes(meterDaySalt(opts.secret, meterId, opts.day)));
}
