import { anchorSlots, meterRegionSlot, regionAnchorSlots, type AnchorSlots } from './anchor-slots.js';

/**
 * The EnergyLedger storage slots one day's proof needs (eth_getProof's keys): always the meter's
 * own anchor (operatorDays[meter][day]: per-meter design) and its registration
 * (meterRegions[meter]); with a region, that region's anchor (regionDays[region][day]). Proving
 * the registration every time is what lets the verifier tell the two designs apart from the
 * chain's storage rather than from what the operator's files say.
 */
export interface DaySlots {
  readonly meter: AnchorSlots;
  readonly meterRegion: string;
  readonly region: (AnchorSlots & { readonly id: string }) | null;
}

export function daySlots(meterId: string, day: number, regionId: string | null): DaySlots {
  return {
    meter: anchorSlots('operator', meterId, day),
    meterRegion: meterRegionSlot(meterId),
    region: regionId ? { id: regionId.toLowerCase(), ...regionAnchorSlots(regionId, day) } : null,
  };
}

/** The slots as eth_getProof's storage keys, in a fixed order. */
export function slotList(s: DaySlots): string[] {
  return [s.meter.root, s.meter.totals, s.meterRegion, ...(s.region ? [s.region.root, s.region.totals] : [])];
}
