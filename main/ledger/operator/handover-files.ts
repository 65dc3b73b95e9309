import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WattletError } from '../../api/errors.js';
import { formatDay } from '../day.js';
import { intervalHandoverSchema, type IntervalHandover } from '../tree/handover.js';
import type { HandoverSource } from './demo-operator.js';

/** Reads and validates one operator handover file (untrusted: every value is proven later). */
export async function readHandoverFile(path: string): Promise<IntervalHandover> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new WattletError('LEDGER_INTERVALS_UNREADABLE', `Cannot read ${path}`, { path }, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new WattletError('LEDGER_INTERVALS_UNREADABLE', `${path} is not JSON`, { path }, { cause: e });
  }
  const parsed = intervalHandoverSchema.safeParse(json);
  if (!parsed.success) {
    throw new WattletError('LEDGER_INTERVALS_UNREADABLE', `${path} is not an interval file: ${parsed.error.issues[0]?.message ?? ''}`, { path });
  }
  return parsed.data;
}

/** A folder of handover files as the operator writes them: <dir>/<meterId>/<YYYY-MM-DD>.json. */
export function handoverFolder(dir: string): HandoverSource {
  return {
    async handover(meterId, day) {
      try {
        return await readHandoverFile(join(dir, meterId.toLowerCase(), `${formatDay(day)}.json`));
      } catch (e) {
        if (e instanceof WattletError && e.code === 'LEDGER_INTERVALS_UNREADABLE' && e.cause instanceof Error && 'code' in e.cause && e.cause.code === 'ENOENT') return null;
        throw e;
      }
    },
  };
}
