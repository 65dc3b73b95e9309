import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Contract } from 'ethers';
import { WattletError } from '../../api/errors.js';
import { formatDay } from '../day.js';
import type { IntervalHandover } from '../tree/handover.js';
import { officialDay, type Discrepancy } from './official-day.js';
import type { ReadingSource } from './reading-source.js';

/** Where the household gets the operator's intervals and salts (file, API, or this process). */
export interface HandoverSource {
  handover(meterId: string, day: number): Promise<IntervalHandover | null>;
}

export interface DemoOperatorDeps {
  /** EnergyLedger connected to a signer holding OPERATOR_ROLE. */
  readonly contract: Contract;
  readonly source: ReadingSource;
  /** 32-byte secret the salts derive from. */
  readonly secret: string;
  readonly discrepancies?: readonly Discrepancy[];
  /** When set, each handover is also written as <dir>/<meterId>/<YYYY-MM-DD>.json. */
  readonly outDir?: string;
}

/** Days per anchorDays transaction: ~40k gas a day keeps a batch far below the block gas limit. */
const BATCH = 60;

/**
 * The demo grid operator (LEDGER.md "Demo mode plays the operator too"): derives official
 * intervals from the meter source, anchors each closed day on EnergyLedger, and hands the
 * intervals with their salts to the household.
 */
export class DemoOperator implements HandoverSource {
  readonly #handovers = new Map<string, IntervalHandover>();
  constructor(private readonly deps: DemoOperatorDeps) {}

  async registerMeter(meterId: string, owner: string): Promise<void> {
    const tx = await this.deps.contract.getFunction('registerMeter')(meterId, owner);
    await tx.wait();
  }

  /** Anchors these closed days (skipping any already anchored); returns the days it anchored. */
  async anchorDays(meterId: string, days: readonly number[]): Promise<number[]> {
    const todo: IntervalHandover[] = [];
    for (const day of days) {
      const readings = await this.deps.source.intervals(meterId, day);
      // A day the meter source knows nothing of has no record to anchor (an empty tree has no root).
      if (readings.length === 0) continue;
      const existing = await this.deps.contract.getFunction('operatorAnchor')(meterId, day);
      const official = officialDay({
        meterId,
        day,
        readings,
        secret: this.deps.secret,
        ...(this.deps.discrepancies ? { discrepancies: this.deps.discrepancies } : {}),
      });
      await this.#keep(official);
      if (BigInt(existing.anchoredAt) === 0n) todo.push(official);
    }
    for (let i = 0; i < todo.length; i += BATCH) {
      const batch = todo.slice(i, i + BATCH);
      try {
        const tx = await this.deps.contract.getFunction('anchorDays')(
          meterId,
          batch.map((h) => h.day),
          batch.map((h) => h.root),
          batch.map((h) => BigInt(h.importWh)),
          batch.map((h) => BigInt(h.exportWh)),
        );
        await tx.wait();
      } catch (e) {
        throw new WattletError('LEDGER_TX_FAILED', `Anchoring ${batch.length} day(s) failed`, { meterId, firstDay: formatDay(batch[0]!.day) }, { cause: e });
      }
    }
    return todo.map((h) => h.day);
  }

  async handover(meterId: string, day: number): Promise<IntervalHandover | null> {
    return this.#handovers.get(`${meterId.toLowerCase()}:${day}`) ?? null;
  }

  async #keep(h: IntervalHandover): Promise<void> {
    this.#handovers.set(`${h.meterId.toLowerCase()}:${h.day}`, h);
    if (this.deps.outDir) {
      const dir = join(this.deps.outDir, h.meterId.toLowerCase());
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${formatDay(h.day)}.json`), JSON.stringify(h, null, 2) + '\n');
    }
  }
}
