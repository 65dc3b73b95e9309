import { bytes, hex, intBytes, pad32, bytesToBigInt } from './bytes.js';
import { keccak256 } from './keccak.js';

/**
 * Where EnergyLedger keeps an anchor (resources/contracts/EnergyLedger.sol, "STORAGE LAYOUT").
 * ERC-7201 namespace, so the slots do not depend on what the inherited contracts store.
 */
export const STORAGE_BASE = 0xf9e5c068f735f07599e151c54eab50f02f8a5616055be86b602b41b564c63100n;
export const OWNERS_OFFSET = 0n;
export const OPERATOR_DAYS_OFFSET = 1n;
export const ATTESTED_DAYS_OFFSET = 2n;
export const REGION_DAYS_OFFSET = 3n;
export const METER_REGIONS_OFFSET = 4n;

export type AnchorKind = 'operator' | 'attested';

/** Solidity mapping slot: keccak256(abi.encode(key, slot)) (Solidity docs, "Layout of State Variables"). */
function mappingSlot(key32: Uint8Array, slot: bigint): Uint8Array {
  const buf = new Uint8Array(64);
  buf.set(key32, 0);
  buf.set(pad32(intBytes(slot)), 32);
  return keccak256(buf);
}

export interface AnchorSlots {
  /** S + 0: bytes32 root. */
  readonly root: string;
  /** S + 1: importWh | exportWh << 64 | anchoredAt << 128 (packed, lowest-order first). */
  readonly totals: string;
}

export function anchorSlots(kind: AnchorKind, meterId: string, day: number): AnchorSlots {
  const offset = kind === 'operator' ? OPERATOR_DAYS_OFFSET : ATTESTED_DAYS_OFFSET;
  const inner = mappingSlot(pad32(bytes(meterId)), STORAGE_BASE + offset);
  const s = bytesToBigInt(mappingSlot(pad32(intBytes(BigInt(day))), bytesToBigInt(inner)));
  return { root: hex(pad32(intBytes(s))), totals: hex(pad32(intBytes(s + 1n))) };
}

export function ownerSlot(meterId: string): string {
  return hex(mappingSlot(pad32(bytes(meterId)), STORAGE_BASE + OWNERS_OFFSET));
}

/**
 * regionDays[regionId][day] (RegionAnchor): S + 0 root; S + 1 importWh | exportWh << 64 |
 * anchoredAt << 128 | meters << 192. The first three fields sit where a DayAnchor's do, so
 * `decodeTotals` reads both; `decodeRegionTotals` adds the meter count.
 */
export function regionAnchorSlots(regionId: string, day: number): AnchorSlots {
  const inner = mappingSlot(pad32(bytes(regionId)), STORAGE_BASE + REGION_DAYS_OFFSET);
  const s = bytesToBigInt(mappingSlot(pad32(intBytes(BigInt(day))), bytesToBigInt(inner)));
  return { root: hex(pad32(intBytes(s))), totals: hex(pad32(intBytes(s + 1n))) };
}

/** meterRegions[meterId]: the bytes32 region a meter is registered in (zero: none, per-meter anchors). */
export function meterRegionSlot(meterId: string): string {
  return hex(mappingSlot(pad32(bytes(meterId)), STORAGE_BASE + METER_REGIONS_OFFSET));
}

export interface AnchorTotals {
  readonly importWh: bigint;
  readonly exportWh: bigint;
  readonly anchoredAt: bigint;
}

const U64 = (1n << 64n) - 1n;

export function decodeTotals(word: bigint): AnchorTotals {
  return { importWh: word & U64, exportWh: (word >> 64n) & U64, anchoredAt: (word >> 128n) & U64 };
}

export interface RegionAnchorTotals extends AnchorTotals {
  /** Meters (leaves) in the region's tree for the day. */
  readonly meters: bigint;
}

export function decodeRegionTotals(word: bigint): RegionAnchorTotals {
  return { ...decodeTotals(word), meters: (word >> 192n) & U64 };
}
