import type { Comparison } from './report.js';

/**
 * Check 3's outside anchors. Depth: B must be at least `minDepth` blocks below the head the
 * endpoint reports (a reorg that deep is what the user accepts as final). The head itself is the
 * endpoint's word, so where a second endpoint is configured its block B must have the same hash —
 * the only evidence in this check that does not come from the first endpoint.
 */
export function checkFinality(args: {
  blockNumber: number;
  head: number;
  minDepth: number;
  blockHash: string;
  second?: { readonly url: string; readonly blockHash: string | null };
}): Comparison[] {
  const depth = args.head - args.blockNumber;
  const out: Comparison[] = [
    { subject: `depth of block ${args.blockNumber} (head ${args.head})`, expected: `≥ ${args.minDepth}`, actual: String(depth), ok: depth >= args.minDepth },
  ];
  if (args.second) {
    const other = args.second.blockHash?.toLowerCase() ?? 'no block';
    out.push({ subject: `block ${args.blockNumber} hash at ${args.second.url}`, expected: args.blockHash.toLowerCase(), actual: other, ok: other === args.blockHash.toLowerCase() });
  }
  return out;
}
