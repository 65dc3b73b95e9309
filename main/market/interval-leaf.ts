/**
 * One 15-minute interval as the operator anchors it (shared/design/LEDGER.md, "Leaves and privacy"):
 * StandardMerkleTree leaf values (bytes32 meterId, uint64 intervalStart, uint32 seconds,
 * uint64 importWh, uint64 exportWh, bytes32 salt). The household holds these with their salts.
 */
export interface IntervalLeaf {
  readonly meterId: string;
  readonly intervalStart: number;
  readonly seconds: number;
  readonly importWh: number;
  readonly exportWh: number;
  readonly salt: string;
}

export const LEAF_ENCODING = ['bytes32', 'uint64', 'uint32', 'uint64', 'uint64', 'bytes32'];

export type LeafValues = [string, bigint, bigint, bigint, bigint, string];

export function leafValues(l: IntervalLeaf): LeafValues {
  return [l.meterId, BigInt(l.intervalStart), BigInt(l.seconds), BigInt(l.importWh), BigInt(l.exportWh), l.salt];
}

export function leafFromValues(v: readonly unknown[]): IntervalLeaf {
  const num = (x: unknown): number => Number(BigInt(x as bigint | string | number));
  return {
    meterId: String(v[0]),
    intervalStart: num(v[1]),
    seconds: num(v[2]),
    importWh: num(v[3]),
    exportWh: num(v[4]),
    salt: String(v[5]),
  };
}

/** UTC day number, the contract's `day`: unix seconds / 86400. */
export function dayOf(unixSeconds: number): number {
  return Math.floor(unixSeconds / 86_400);
}
