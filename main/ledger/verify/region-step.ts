import { formatDay } from '../day.js';
import type { RegionPath } from '../tree/region-path.js';
import { hex } from './bytes.js';
import { bytes32, packPath, ProofVerifier } from './proof-verifier.js';
import { groupedStep, skipped, type Comparison, type VerifyStep } from './report.js';

/** What the anchor step proved for the region: its day root and the meter count its anchor stores. */
export interface ProvenRegionAnchor {
  readonly root: string;
  readonly meters: bigint;
}

/**
 * The second Merkle level of a region design (LEDGER.md "At national scale"): the meter-day leaf
 * (meterId, day, meterDayRoot, importWh, exportWh, salt) under the region-day root proven in
 * storage. The leaf is built from the meter and day being verified, never from the file's, so a
 * path for another meter or day cannot pass; the file's own meter, day, root and count are
 * compared only to say why. On success the meter-day root and totals are trusted for the leaves step.
 */
export function regionStep(args: {
  meterId: string;
  day: number;
  path: RegionPath;
  anchor: ProvenRegionAnchor | null;
  /** The anchor step's code when it proved no region root. */
  anchorCode: string | null;
  verifier?: ProofVerifier;
}): { step: VerifyStep; meterDay: { root: string; importWh: bigint; exportWh: bigint } | null } {
  const { path, anchor } = args;
  if (!anchor) return { step: skipped('region', args.anchorCode, 'No proven region-day root to check the path against'), meterDay: null };
  const day: Comparison[] = [{ subject: 'region path day', expected: formatDay(args.day), actual: formatDay(path.day), ok: path.day === args.day }];
  const identity: Comparison[] = [
    { subject: 'region path meter', expected: args.meterId.toLowerCase(), actual: path.meterId.toLowerCase(), ok: path.meterId.toLowerCase() === args.meterId.toLowerCase() },
    { subject: 'operator file region root', expected: anchor.root, actual: path.regionRoot.toLowerCase(), ok: anchor.root === path.regionRoot.toLowerCase() },
    { subject: 'meters in the region tree', expected: anchor.meters.toString(), actual: String(path.meters), ok: anchor.meters.toString() === String(path.meters) },
  ];
  let computed: string;
  let ok = false;
  try {
    const v = args.verifier ?? new ProofVerifier();
    const root = v.regionRoot({
      meterId: bytes32(args.meterId),
      day: args.day,
      meterDayRoot: bytes32(path.meterDayRoot),
      importWh: BigInt(path.importWh),
      exportWh: BigInt(path.exportWh),
      salt: bytes32(path.salt),
      path: packPath(path.path),
    });
    computed = hex(root);
    ok = computed === anchor.root;
  } catch {
    computed = 'malformed leaf or path';
  }
  const fold: Comparison[] = [{ subject: `meter-day leaf → region-day root (${path.path.length} siblings)`, expected: anchor.root, actual: computed, ok }];
  const step = groupedStep(
    'region',
    [
      { code: 'PROOF_WRONG_DAY', comparisons: day },
      { code: 'PROOF_REGION_PATH', comparisons: [...identity, ...fold] },
    ],
    ['PROOF_WRONG_DAY', 'PROOF_REGION_PATH'],
    "My meter's day is under the region's anchored root",
    "My meter's day is not under the region's anchored root",
  );
  return {
    step,
    meterDay: step.status === 'pass' ? { root: path.meterDayRoot.toLowerCase(), importWh: BigInt(path.importWh), exportWh: BigInt(path.exportWh) } : null,
  };
}
