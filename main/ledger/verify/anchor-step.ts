import { decodeRegionTotals, decodeTotals, type AnchorTotals } from './anchor-slots.js';
import type { DaySlots } from './evidence-slots.js';
import { failed, step, type AnchorDesign, type Comparison, type VerifyStep } from './report.js';
import type { StorageProofResult } from './storage-proof.js';
import type { ProvenRegionAnchor } from './region-step.js';

const word = (v: bigint) => '0x' + v.toString(16).padStart(64, '0');

export interface AnchorStepOutcome {
  readonly step: VerifyStep;
  readonly design: AnchorDesign;
  /** The region the meter is registered in at block B (proven), or the one its path names when the proof failed. */
  readonly regionId: string | null;
  /** Per-meter design: the anchored day root and totals. */
  readonly meterAnchor: { readonly root: string; readonly totals: AnchorTotals } | null;
  /** Region design: the anchored region-day root and meter count. */
  readonly regionAnchor: (ProvenRegionAnchor & { readonly totals: AnchorTotals }) | null;
}

/**
 * Check 3a: what EnergyLedger's storage at B says of the day, from values the storage proof
 * proved (never the RPC's word). The design follows from storage too: a meter registered in a
 * region (meterRegions[meter] ≠ 0) with no anchor of its own is anchored through its region; a
 * region path handed over names a region, and the meter must be registered in exactly that one
 * (PROOF_REGION_MISMATCH), or a household could be shown another region's anchor.
 */
export function anchorStep(args: { slots: DaySlots; storage: StorageProofResult; pathRegionId: string | null }): AnchorStepOutcome {
  const { slots, storage } = args;
  const pathRegion = args.pathRegionId?.toLowerCase() ?? null;
  if (!storage.ok) {
    return { step: failed('anchor', storage.code, storage.message, storage.comparisons), design: pathRegion ? 'region' : 'meter', regionId: pathRegion, meterAnchor: null, regionAnchor: null };
  }
  const value = (slot: string) => storage.values.get(slot) ?? 0n;
  const registeredWord = value(slots.meterRegion);
  const registered = registeredWord === 0n ? null : word(registeredWord);
  const registration: Comparison = {
    subject: 'meterRegions[meter] (proven)',
    expected: pathRegion ?? registered ?? 'none',
    actual: registered ?? 'none',
    ok: pathRegion === null || registered === pathRegion,
  };
  const meterRoot = slots.meter ? value(slots.meter.root) : 0n;
  const regionSlots = slots.region;

  if (pathRegion !== null || (registered !== null && meterRoot === 0n)) {
    // Region design.
    const regionId = pathRegion ?? registered!;
    const comparisons = [...storage.comparisons, registration];
    if (!registration.ok) {
      return {
        step: failed('anchor', 'PROOF_REGION_MISMATCH', `The meter is not registered in region ${regionId} at block B (proven)`, comparisons),
        design: 'region',
        regionId: registered,
        meterAnchor: null,
        regionAnchor: null,
      };
    }
    if (!regionSlots || regionSlots.id !== regionId) {
      // The evidence holds no proof of this region's anchor (asked for another region, or none).
      return { step: failed('anchor', 'LEDGER_NO_REGION_PATH', `The meter is anchored through region ${regionId}; no proof of its anchor was fetched`, comparisons), design: 'region', regionId, meterAnchor: null, regionAnchor: null };
    }
    const root = value(regionSlots.root);
    const totals = decodeRegionTotals(value(regionSlots.totals));
    if (root === 0n) {
      return { step: failed('anchor', 'LEDGER_NO_ANCHOR', `No operator anchor for region ${regionId} on this day at block B (proven)`, comparisons), design: 'region', regionId, meterAnchor: null, regionAnchor: null };
    }
    const anchor = { root: word(root), meters: totals.meters, totals };
    return {
      step: step('anchor', [...comparisons, { subject: 'region-day anchor (proven)', expected: 'root', actual: anchor.root, ok: true }], 'PROOF_STORAGE_MISMATCH', `Region-day root ${anchor.root} (${totals.meters} meters) proven in contract storage; the meter is registered in region ${regionId}`, ''),
      design: 'region',
      regionId,
      meterAnchor: null,
      regionAnchor: anchor,
    };
  }

  // Per-meter design (a small operator, or a day anchored before the meter joined a region).
  const comparisons = [...storage.comparisons, registration];
  if (meterRoot === 0n) {
    return { step: failed('anchor', 'LEDGER_NO_ANCHOR', 'No operator anchor for this day at block B (proven)', comparisons), design: 'meter', regionId: registered, meterAnchor: null, regionAnchor: null };
  }
  const root = word(meterRoot);
  return {
    step: step('anchor', comparisons, 'PROOF_STORAGE_MISMATCH', `Anchored root ${root} proven in contract storage`, ''),
    design: 'meter',
    regionId: registered,
    meterAnchor: { root, totals: decodeTotals(slots.meter ? value(slots.meter.totals) : 0n) },
    regionAnchor: null,
  };
}
