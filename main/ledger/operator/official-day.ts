import { AbiCoder, keccak256, toUtf8Bytes } from 'ethers';
import { buildDayTree } from '../tree/day-tree.js';
import type { IntervalHandover } from '../tree/handover.js';
import type { SaltedInterval } from '../tree/interval-leaf.js';
import type { MeterInterval } from '../verify/compare-readings.js';

/** An injected difference between the operator's record and the meter (demo and tests). */
export interface Discrepancy {
  readonly day: number;
  /** Index of the interval within the day (0–95). */
  readonly index: number;
  readonly importDeltaWh: bigint;
  readonly exportDeltaWh?: bigint;
}

/**
 * The salt of one leaf: keccak256(abi.encode(operatorSecret, meterId, intervalStart)).
 * Derived rather than stored, so the operator can hand the same salts out again at any time.
 */
export function intervalSalt(secret: string, meterId: string, start: number): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(['bytes32', 'bytes32', 'uint64'], [secret, meterId, start]));
}

/** Keeps a meter-day salt apart from every interval salt, whatever the numbers. */
const METER_DAY_SALT_TAG = keccak256(toUtf8Bytes('wattlet.meter-day-salt'));

/**
 * The salt of a meter-day's leaf in its region's tree:
 * keccak256(abi.encode(operatorSecret, meterId, uint32 day, keccak256("wattlet.meter-day-salt"))).
 * Derived like the interval salts, so the operator can hand a region path out again at any time.
 */
export function meterDaySalt(secret: string, meterId: string, day: number): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(['bytes32', 'bytes32', 'uint32', 'bytes32'], [secret, meterId, day, METER_DAY_SALT_TAG]));
}

function clamp(v: bigint): bigint {
  return v < 0n ? 0n : v;
}

/**
 * The operator's official record of one meter-day: the meter's intervals (with any injected
 * discrepancies), salted, as a tree; returns the handover file with each interval's proof.
 */
export function officialDay(args: {
  meterId: string;
  day: number;
  readings: readonly MeterInterval[];
  secret: string;
  discrepancies?: readonly Discrepancy[];
}): IntervalHandover {
  const intervals: SaltedInterval[] = args.readings.map((iv, index) => {
    const d = args.discrepancies?.find((x) => x.day === args.day && x.index === index);
    return {
      start: iv.start,
      seconds: iv.seconds,
      importWh: clamp(iv.importWh + (d?.importDeltaWh ?? 0n)),
      exportWh: clamp(iv.exportWh + (d?.exportDeltaWh ?? 0n)),
      salt: intervalSalt(args.secret, args.meterId, iv.start),
    };
  });
  const tree = buildDayTree(args.meterId, intervals);
  return {
    format: 'wattlet.intervals/1',
    meterId: args.meterId,
    day: args.day,
    root: tree.root,
    importWh: intervals.reduce((s, iv) => s + iv.importWh, 0n).toString(),
    exportWh: intervals.reduce((s, iv) => s + iv.exportWh, 0n).toString(),
    intervals: intervals.map((iv, i) => ({
      start: iv.start,
      seconds: iv.seconds,
      importWh: iv.importWh.toString(),
      exportWh: iv.exportWh.toString(),
      salt: iv.salt,
      proof: tree.proof(i),
    })),
  };
}
