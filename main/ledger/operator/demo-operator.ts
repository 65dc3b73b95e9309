import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { keccak256, toUtf8Bytes, type Contract } from 'ethers';
import { WattletError } from '../../api/errors.js';
import { formatDay } from '../day.js';
import type { IntervalHandover } from '../tree/handover.js';
import type { RegionPath } from '../tree/region-path.js';
import { buildRegionTree, RegionPartition, type RegionTree } from '../tree/region-tree.js';
import { bytes } from '../verify/bytes.js';
import { handoverPaths } from './handover-files.js';
import type { HandoverSource } from './handover-source.js';
import { meterDaySalt, officialDay, type Discrepancy } from './official-day.js';
import { anchorRegionDays } from './region-anchor.js';
import { syntheticReadingSource, type ReadingSource } from './reading-source.js';

export type { HandoverSource } from './handover-source.js';

/**
 * The demo's region (LEDGER.md "At national scale"): the household's meter is one of `neighbours`
 * + 1 meters whose day roots go into one region-day tree, anchored as one root. The neighbours are
 * simulated households (syntheticReadingSource), registered in the region like the household.
 */
export interface DemoRegion {
  /** bytes32 region id. */
  readonly id: string;
  /** Simulated neighbour meters in the region (0 leaves the household alone in its tree). */
  readonly neighbours: number;
  /** Who the neighbours' meters are registered to. */
  readonly neighbourOwner: string;
}

export interface DemoOperatorDeps {
  /** EnergyLedger connected to a signer holding OPERATOR_ROLE. */
  readonly contract: Contract;
  readonly source: ReadingSource;
  /** 32-byte secret the salts derive from. */
  readonly secret: string;
  readonly discrepancies?: readonly Discrepancy[];
  /** When set, each handover is also written as <dir>/<meterId>/<YYYY-MM-DD>.json (and .region.json). */
  readonly outDir?: string;
  /** Anchor by region (the national design); absent: one anchor per meter-day (small operators). */
  readonly region?: DemoRegion;
}

/** Days per anchorDays transaction: ~40k gas a day keeps a batch far below the block gas limit. */
const BATCH = 60;

/** The demo region's simulated neighbour meter ids: fixed per region, so every run builds the same trees. */
export function neighbourMeters(region: DemoRegion): string[] {
  return Array.from({ length: region.neighbours }, (_, i) => keccak256(toUtf8Bytes(`wattlet demo neighbour ${i} of ${region.id.toLowerCase()}`)));
}

/**
 * The demo grid operator (LEDGER.md "Demo mode plays the operator too"): derives official
 * intervals from the meter source, anchors each closed day on EnergyLedger (per region: one root
 * over the region's meter-days; or per meter), and hands the intervals with their salts, and the
 * meter's region path, to the household.
 */
export class DemoOperator implements HandoverSource {
  readonly #handovers = new Map<string, IntervalHandover>();
  readonly #regionPaths = new Map<string, RegionPath>();
  readonly #neighbours: readonly string[];
  readonly #neighbourReadings = syntheticReadingSource(23);
  constructor(private readonly deps: DemoOperatorDeps) {
    this.#neighbours = deps.region ? neighbourMeters(deps.region) : [];
  }

  /** Registers the meter (in the demo region, with the region's neighbours, when there is one). */
  async registerMeter(meterId: string, owner: string): Promise<void> {
    const { contract, region } = this.deps;
    if (!region) {
      await (await contract.getFunction('registerMeter')(meterId, owner)).wait();
      return;
    }
    await (await contract.getFunction('registerMeterInRegion')(meterId, owner, region.id)).wait();
    const unregistered: string[] = [];
    for (const n of this.#neighbours) {
      if (String(await contract.getFunction('meterRegion')(n)).toLowerCase() !== region.id.toLowerCase()) unregistered.push(n);
    }
    if (unregistered.length) {
      await (await contract.getFunction('registerMetersInRegion')(unregistered, unregistered.map(() => region.neighbourOwner), region.id)).wait();
    }
  }

  /** Anchors these closed days (skipping any already anchored); returns the days it anchored. */
  async anchorDays(meterId: string, days: readonly number[]): Promise<number[]> {
    if (this.deps.region) return this.#anchorRegionDays(meterId, this.deps.region, days);
    const todo: IntervalHandover[] = [];
    for (const day of days) {
      const official = await this.#official(meterId, day, this.deps.source);
      // A day the meter source knows nothing of has no record to anchor (an empty tree has no root).
      if (!official) continue;
      await this.#keep(official);
      const existing = await this.deps.contract.getFunction('operatorAnchor')(meterId, day);
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

  async regionPath(meterId: string, day: number): Promise<RegionPath | null> {
    return this.#regionPaths.get(`${meterId.toLowerCase()}:${day}`) ?? null;
  }

  /**
   * The region's days: every meter's official day (the household's from its readings, the
   * neighbours' simulated), one region tree a day (tree/region-tree.ts), anchored once
   * (operator/region-anchor.ts: a day already anchored with the same root is left as it is).
   * A day the household's meter has no readings for is not anchored: an anchor is final, and the
   * household's day could never join it later.
   */
  async #anchorRegionDays(meterId: string, region: DemoRegion, days: readonly number[]): Promise<number[]> {
    const trees: RegionTree[] = [];
    for (const day of days) {
      const own = await this.#official(meterId, day, this.deps.source);
      if (!own) continue;
      await this.#keep(own);
      const partition = new RegionPartition(day, this.#neighbours.length + 1);
      const add = (h: IntervalHandover) =>
        partition.add(bytes(h.meterId), bytes(h.root), BigInt(h.importWh), BigInt(h.exportWh), bytes(meterDaySalt(this.deps.secret, h.meterId, day)));
      add(own);
      for (const n of this.#neighbours) {
        const theirs = await this.#official(n, day, this.#neighbourReadings, false);
        if (theirs) add(theirs);
      }
      const tree = buildRegionTree(region.id, day, [partition]);
      const path = tree.path(meterId);
      if (path) await this.#keepPath(path);
      trees.push(tree);
    }
    const outcome = await anchorRegionDays(this.deps.contract, trees);
    return outcome.anchored;
  }

  async #official(meterId: string, day: number, source: ReadingSource, withDiscrepancies = true): Promise<IntervalHandover | null> {
    const readings = await source.intervals(meterId, day);
    if (readings.length === 0) return null;
    return officialDay({
      meterId,
      day,
      readings,
      secret: this.deps.secret,
      ...(withDiscrepancies && this.deps.discrepancies ? { discrepancies: this.deps.discrepancies } : {}),
    });
  }

  async #keep(h: IntervalHandover): Promise<void> {
    this.#handovers.set(`${h.meterId.toLowerCase()}:${h.day}`, h);
    if (this.deps.outDir) {
      const file = handoverPaths(this.deps.outDir, h.meterId, h.day).intervals;
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(h, null, 2) + '\n');
    }
  }

  async #keepPath(p: RegionPath): Promise<void> {
    this.#regionPaths.set(`${p.meterId.toLowerCase()}:${p.day}`, p);
    if (this.deps.outDir) {
      const file = handoverPaths(this.deps.outDir, p.meterId, p.day).regionPath;
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(p, null, 2) + '\n');
    }
  }
}
