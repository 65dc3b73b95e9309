import { buildDayTree } from '../tree/day-tree.js';
import type { SaltedInterval } from '../tree/interval-leaf.js';
import { bytes, hex } from './bytes.js';
import { bytes32, equal32, packPath, ProofVerifier } from './proof-verifier.js';
import type { Comparison } from './report.js';

export interface ProvenInterval extends SaltedInterval {
  /** Sibling hashes; when absent the proof is derived from the whole list of the day. */
  readonly proof?: readonly string[];
}

/**
 * Check 2: every interval's leaf is under the anchored root (OpenZeppelin MerkleProof semantics,
 * see ../tree/README.md). `indices` limits the check to some intervals (verify one interval).
 */
export function verifyLeaves(
  meterId: string,
  intervals: readonly ProvenInterval[],
  anchoredRoot: string,
  indices?: readonly number[],
): Comparison[] {
  const root = bytes(anchoredRoot);
  if (!indices && intervals.length > 0) {
    // The whole day: rebuilding the tree from every leaf and finding the anchored root proves
    // each leaf is under it (keccak is collision resistant) at a third of the hashing of 96
    // separate proofs. Only if the roots differ are the proofs walked, to name the bad leaves.
    let rebuilt: string | null = null;
    try {
      rebuilt = buildDayTree(meterId, intervals).root;
    } catch {
      rebuilt = null;
    }
    if (rebuilt === anchoredRoot.toLowerCase()) {
      return intervals.map((iv, i) => ({
        subject: `leaf ${i} (${new Date(iv.start * 1000).toISOString().slice(11, 16)}Z) → root`,
        expected: anchoredRoot,
        actual: rebuilt,
        ok: true,
      }));
    }
  }
  let derived: ((i: number) => string[]) | undefined;
  const out: Comparison[] = [];
  const verifier = new ProofVerifier();
  let meter: Uint8Array;
  try {
    meter = bytes32(meterId);
  } catch {
    return [{ subject: 'meter id', expected: 'bytes32', actual: meterId.slice(0, 20), ok: false }];
  }
  for (const i of indices ?? intervals.map((_, k) => k)) {
    const iv = intervals[i];
    const subject = `leaf ${i} (${iv ? new Date(iv.start * 1000).toISOString().slice(11, 16) : '?'}Z) → root`;
    if (!iv) {
      out.push({ subject, expected: anchoredRoot, actual: 'no such interval', ok: false });
      continue;
    }
    let proof = iv.proof;
    if (!proof) {
      derived ??= buildDayTree(meterId, intervals).proof;
      proof = derived(i);
    }
    let computed: Uint8Array;
    try {
      computed = verifier.intervalRoot({ meterId: meter, start: iv.start, seconds: iv.seconds, importWh: iv.importWh, exportWh: iv.exportWh, salt: bytes32(iv.salt), path: packPath(proof) });
    } catch {
      out.push({ subject, expected: anchoredRoot, actual: 'malformed leaf', ok: false });
      continue;
    }
    out.push({ subject, expected: anchoredRoot, actual: hex(computed), ok: equal32(computed, root) });
  }
  return out;
}

/**
 * The operator's list covers the day with contiguous intervals and sums to the anchored totals,
 * so no interval can be left out of the file while its leaf still sits under the root unseen.
 */
export function verifyCoverage(
  intervals: readonly SaltedInterval[],
  dayStart: number,
  dayEnd: number,
  anchored: { importWh: bigint; exportWh: bigint },
): Comparison[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  let t = dayStart;
  let gaps = 0;
  for (const iv of sorted) {
    if (iv.start !== t) gaps++;
    t = iv.start + iv.seconds;
  }
  if (t !== dayEnd) gaps++;
  const imp = sorted.reduce((s, iv) => s + iv.importWh, 0n);
  const exp = sorted.reduce((s, iv) => s + iv.exportWh, 0n);
  return [
    { subject: 'intervals cover the day', expected: 'contiguous', actual: gaps === 0 ? 'contiguous' : `${gaps} gap(s) or overlap(s)`, ok: gaps === 0 },
    { subject: 'sum importWh = anchored importWh', expected: anchored.importWh.toString(), actual: imp.toString(), ok: imp === anchored.importWh },
    { subject: 'sum exportWh = anchored exportWh', expected: anchored.exportWh.toString(), actual: exp.toString(), ok: exp === anchored.exportWh },
  ];
}
