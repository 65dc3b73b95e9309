import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeRollups, storedRollups } from '../../../main/history/recompute.js';
import { HistoryStore, KEY_METER } from '../../../main/history/store.js';
import { sampleAt } from '../../fixtures/history/writer.js';

const KILLS = 30;
let dir = '';
let writerJs = '';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wattlet-durability-'));
  // Bundled once so each restart costs a Node start, not a TypeScript compile.
  writerJs = path.join(dir, 'writer.mjs');
  await build({
    entryPoints: [path.resolve('test/fixtures/history/writer.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: writerJs,
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    nodePaths: [path.resolve('node_modules')],
  });
  // The bundle must resolve better-sqlite3 from the project.
  fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the writer and SIGKILLs it `ms` after it said READY (store open, writing) — or, with
 * `fromSpawn`, `ms` after starting it, which lands in start-up and migration. Measuring from
 * READY keeps the kill inside the writing phase however slowly a loaded machine starts Node.
 * Resolves with the indices it acknowledged.
 */
function runAndKill(file: string, seed: number, ms: number, fromSpawn: boolean): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerJs, file, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let buf = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        // Only complete lines count: the ACK is printed after the commit returned.
        if (line.startsWith('ACK ')) for (const n of line.slice(4).split(',')) acked.push(Number(n));
        if (line === 'READY' && !fromSpawn) {
          clearTimeout(timer);
          timer = setTimeout(() => child.kill('SIGKILL'), ms);
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    // Without READY within a minute something is wrong: kill anyway, the test then fails on ACKs.
    let timer = setTimeout(() => child.kill('SIGKILL'), fromSpawn ? ms : 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own (${code}): ${err}`));
      else resolve(acked);
    });
  });
}

describe('history durability', () => {
  it(`survives ${KILLS} SIGKILLs at random moments: intact, nothing acknowledged lost, roll-ups continuous`, async () => {
    const file = path.join(dir, 'history.sqlite');
    const acknowledged = new Set<number>();
    let seed = 12345;
    let totalRows = 0;
    for (let round = 0; round < KILLS; round++) {
      seed = (seed * 48271) % 2147483647;
      // Mostly mid-stream, sometimes during start-up and migration.
      const early = round % 5 === 0;
      const ms = early ? 5 + (seed % 80) : 20 + (seed % 600);
      const fresh = await runAndKill(file, seed, ms, early);
      for (const i of fresh) acknowledged.add(i);
      // Every round: the file is intact and this round's acknowledged readings are there. Every
      // fifth round and the last: all readings ever acknowledged, and the roll-ups against a
      // recomputation. A loss or a broken roll-up does not mend itself, so the full checks
      // still catch what any kill did, while the test's time no longer grows with rounds ×
      // rows (a fast disk lets the writer acknowledge a million readings).
      const full = round % 5 === 4 || round === KILLS - 1;

      const store = new HistoryStore({ file });
      try {
        expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
        // One expect per round, not per reading: a fast writer acknowledges a million readings.
        const one = store.db.prepare('SELECT import_wh, export_wh FROM readings WHERE key = ?').raw();
        const meterBase = (store.db.prepare('SELECT id FROM meters').pluck().get() as number) * KEY_METER;
        const lost: number[] = [];
        for (const i of full ? acknowledged : fresh) {
          const row = one.get(meterBase + sampleAt(i).ts) as [number, number] | undefined;
          const want = sampleAt(i);
          if (!row || row[0] !== want.importWh || row[1] !== want.exportWh) lost.push(i);
        }
        expect(lost.slice(0, 10), `acknowledged readings missing or wrong after kill ${round}`).toEqual([]);
        if (full) expect(storedRollups(store), `roll-ups after kill ${round}`).toEqual(recomputeRollups(store));
        totalRows = store.db.prepare('SELECT count(*) FROM readings').pluck().get() as number;
      } finally {
        store.dispose();
      }
    }
    expect(acknowledged.size).toBeGreaterThan(1000); // the writer really wrote between kills
    expect(totalRows).toBeGreaterThanOrEqual(acknowledged.size);
  }, 300_000);
});
