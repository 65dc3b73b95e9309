import { anchorSlots, meterRegionSlot, regionAnchorSlots, type AnchorSlots } from './anchor-slots.js';

/**
 * The EnergyLedger storage slots one day's proof needs (eth_getProof's keys). Always the meter's
 * registration (meterRegions[meter]): proving it every time is what lets the verifier tell the
 * two designs apart from the chain's storage rather than from what the operator's files say.
 * With a region path in hand, that region's anchor (regionDays[region][day]) and nothing else;
 * without one, the meter's own anchor (operatorDays[meter][day]) and, where the registration
 * read names a region, that region's anchor too (a day anchored per meter before the meter
 * joined its region still proves per meter).
 */
export interface DaySlots {
  readonly meter: AnchorSlots | null;
  readonly meterRegion: string;
  readonly region: (AnchorSlots & { readonly id: string }) | null;
}

export function daySlots(meterId: string, day: number, args: { readonly pathRegionId: string | null; readonly registeredRegionId?: string | null }): DaySlots {
  const regionId = args.pathRegionId ?? args.registeredRegionId ?? null;
  return {
    meter: args.pathRegionId ? null : anchorSlots('operator', meterId, day),
    meterRegion: meterRegionSlot(meterId),
    region: regionId ? { id: regionId.toLowerCase(), ...regionAnchorSlots(regionId, day) } : null,
  };
}

/** The slots as eth_getProof's storage keys, in a fixed order. */
export function slotList(s: DaySlots): string[] {
  return [...(s.meter ? [s.meter.root, s.meter.totals] : []), s.meterRegion, ...(s.region ? [s.region.root, s.region.totals] : [])];
}
