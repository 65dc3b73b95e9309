import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WattletError } from '../../api/errors.js';
import { formatDay } from '../day.js';
import { intervalHandoverSchema, type IntervalHandover } from '../tree/handover.js';
import { regionPathSchema, type RegionPath } from '../tree/region-path.js';
import type { HandoverSource } from './handover-source.js';

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new WattletError('LEDGER_INTERVALS_UNREADABLE', `Cannot read ${path}`, { path }, { cause: e });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new WattletError('LEDGER_INTERVALS_UNREADABLE', `${path} is not JSON (${what})`, { path }, { cause: e });
  }
}

/** Reads and validates one operator handover file (untrusted: every value is proven later). */
export async function readHandoverFile(path: string): Promise<IntervalHandover> {
  const parsed = intervalHandoverSchema.safeParse(await readJson(path, 'an interval file'));
  if (!parsed.success) {
    throw new WattletError('LEDGER_INTERVALS_UNREADABLE', `${path} is not an interval file: ${parsed.error.issues[0]?.message ?? ''}`, { path });
  }
  return parsed.data;
}

/** Reads and validates a household's region path file (wattlet.region-path/1; untrusted, proven later). */
export async function readRegionPathFile(path: string): Promise<RegionPath> {
  const parsed = regionPathSchema.safeParse(await readJson(path, 'a region path'));
  if (!parsed.success) {
    throw new WattletError('LEDGER_INTERVALS_UNREADABLE', `${path} is not a region path file: ${parsed.error.issues[0]?.message ?? ''}`, { path });
  }
  return parsed.data;
}

function absent(e: unknown): boolean {
  return e instanceof WattletError && e.code === 'LEDGER_INTERVALS_UNREADABLE' && e.cause instanceof Error && 'code' in e.cause && e.cause.code === 'ENOENT';
}

/** Where a meter-day's files live in a handover folder: <dir>/<meterId>/<YYYY-MM-DD>.json and .region.json. */
export function handoverPaths(dir: string, meterId: string, day: number): { intervals: string; regionPath: string } {
  const base = join(dir, meterId.toLowerCase(), formatDay(day));
  return { intervals: `${base}.json`, regionPath: `${base}.region.json` };
}

/**
 * A folder of handover files as the operator writes them: <dir>/<meterId>/<YYYY-MM-DD>.json (the
 * intervals) and, for a meter anchored through its region, <YYYY-MM-DD>.region.json (its path).
 */
export function handoverFolder(dir: string): HandoverSource {
  return {
    async handover(meterId, day) {
      try {
        return await readHandoverFile(handoverPaths(dir, meterId, day).intervals);
      } catch (e) {
        if (absent(e)) return null;
        throw e;
      }
    },
    async regionPath(meterId, day) {
      try {
        return await readRegionPathFile(handoverPaths(dir, meterId, day).regionPath);
      } catch (e) {
        if (absent(e)) return null;
        throw e;
      }
    },
  };
}
