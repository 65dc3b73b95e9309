import { z } from 'zod';
import { verifyHeaderHash } from './header-hash.js';
import { failed, skipped, type Comparison, type VerifyStep } from './report.js';
import { quantity } from './bytes.js';

/**
 * A block the household pinned from a second source (a line on the bill, a file, a second
 * endpoint): number and hash, with when and where from, so a verdict can say what it rests on.
 * The chain id names the chain the hash belongs to: a checkpoint of another chain proves nothing.
 */
export const pinnedCheckpointSchema = z.object({
  chainId: z.number().int().positive().nullable(),
  number: z.number().int().nonnegative(),
  hash: z.string().regex(/^0x[0-9a-f]{64}$/),
  /** YYYY-MM-DD, the day the household pinned it. */
  pinnedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  source: z.object({
    kind: z.enum(['bill', 'file', 'rpc']),
    /** The household's words for it ("November bill"), a file name, or the endpoint's address. */
    label: z.string().max(200),
  }),
});
export type PinnedCheckpoint = z.infer<typeof pinnedCheckpointSchema>;

/**
 * The headers between the pinned checkpoint and the proven block B, fetched by main (as JSON-RPC
 * block objects): every block from min(B, N) + 1 to max(B, N), ascending. Untrusted bytes: each is
 * re-hashed here and linked by parent hash; nothing in them is taken on their word.
 */
export interface HeaderChainEvidence {
  readonly checkpoint: PinnedCheckpoint;
  readonly headers: readonly unknown[];
}

/**
 * How B stands to the checkpoint N. 'at': B is N. 'ancestor': B < N and the chain walks back from
 * N to B, so B is on the checkpoint's chain (the strong case: a hash commits to its parent, so no
 * endpoint can make up an ancestor). 'descendant': B > N and B's chain reaches back to N, so B
 * descends from the checkpoint (built on it: headers after N can be made by anyone, so this shows
 * less than the other two; depth still matters).
 */
export type CheckpointRelation = 'at' | 'ancestor' | 'descendant';

export type HeaderChainResult =
  | { readonly ok: true; readonly relation: CheckpointRelation; readonly links: number; readonly comparisons: Comparison[] }
  | {
      readonly ok: false;
      readonly code: 'LEDGER_CHECKPOINT_MISMATCH' | 'LEDGER_HEADER_CHAIN_BROKEN';
      readonly message: string;
      readonly relation: CheckpointRelation;
      readonly comparisons: Comparison[];
    };

/** Headers a chain may carry before it is refused (main fetches at most this many, see checkpoint/). */
export const MAX_HEADER_CHAIN = 4096;

function relationOf(b: number, n: number): CheckpointRelation {
  return b === n ? 'at' : b < n ? 'ancestor' : 'descendant';
}

/**
 * Checks that block B (number, hash: already proven by the header step) and the pinned
 * checkpoint are on one chain: every header between them hashes to its own hash (header-hash.ts,
 * per fork) and names the one before it as parent, from the lower end's hash to the upper end's.
 */
export function verifyHeaderChain(args: {
  readonly chainId: number;
  readonly block: { readonly number: number; readonly hash: string };
  readonly chain: HeaderChainEvidence;
}): HeaderChainResult {
  const { checkpoint } = args.chain;
  const b = args.block.number;
  const n = checkpoint.number;
  const relation = relationOf(b, n);
  const comparisons: Comparison[] = [];
  if (checkpoint.chainId !== null && checkpoint.chainId !== args.chainId) {
    comparisons.push({ subject: 'checkpoint chain id', expected: String(checkpoint.chainId), actual: String(args.chainId), ok: false });
    return { ok: false, code: 'LEDGER_CHECKPOINT_MISMATCH', message: 'The checkpoint was pinned for another chain', relation, comparisons };
  }
  const blockHash = args.block.hash.toLowerCase();
  if (relation === 'at') {
    comparisons.push({ subject: `block ${n} hash (the checkpoint)`, expected: checkpoint.hash, actual: blockHash, ok: checkpoint.hash === blockHash });
    return comparisons[0]!.ok
      ? { ok: true, relation, links: 0, comparisons }
      : { ok: false, code: 'LEDGER_CHECKPOINT_MISMATCH', message: 'Block B is the checkpoint block but has another hash', relation, comparisons };
  }
  const lower = relation === 'ancestor' ? { number: b, hash: blockHash } : { number: n, hash: checkpoint.hash };
  const upper = relation === 'ancestor' ? { number: n, hash: checkpoint.hash } : { number: b, hash: blockHash };
  const expected = upper.number - lower.number;
  const headers = args.chain.headers;
  if (headers.length !== expected) {
    comparisons.push({ subject: `headers ${lower.number + 1}…${upper.number}`, expected: String(expected), actual: String(headers.length), ok: false });
    return { ok: false, code: 'LEDGER_HEADER_CHAIN_BROKEN', message: 'The header chain does not have one header per block', relation, comparisons };
  }
  let parent = lower.hash;
  for (let i = 0; i < headers.length; i++) {
    const want = lower.number + 1 + i;
    const h = headers[i];
    const broken = (subject: string, exp: string, act: string, message: string): HeaderChainResult & { ok: false } => {
      comparisons.push({ subject, expected: exp, actual: act, ok: false });
      return { ok: false, code: 'LEDGER_HEADER_CHAIN_BROKEN', message, relation, comparisons };
    };
    if (!h || typeof h !== 'object' || Array.isArray(h)) return broken(`header ${want}`, 'a block header', 'not an object', `Header ${want} is not a block header`);
    const header = h as Record<string, unknown>;
    let number: bigint;
    try {
      number = quantity(String(header['number']));
    } catch {
      return broken(`header ${want} number`, String(want), String(header['number']).slice(0, 20), `Header ${want} has no block number`);
    }
    if (number !== BigInt(want)) return broken(`header ${want} number`, String(want), number.toString(), `The header chain skips or repeats block ${want}`);
    const parentHash = String(header['parentHash'] ?? '').toLowerCase();
    if (parentHash !== parent) {
      const r = broken(`block ${want} parentHash`, parent, parentHash, `Block ${want} does not name block ${want - 1} as its parent`);
      // The first link is the lower end's own hash: B or the checkpoint is not on this chain at all.
      return i === 0 ? { ...r, code: 'LEDGER_CHECKPOINT_MISMATCH', message: relation === 'ancestor' ? 'The chain back from the checkpoint does not reach block B' : 'Block B’s chain does not reach back to the checkpoint' } : r;
    }
    const hashed = verifyHeaderHash(header);
    if (!hashed.ok) {
      comparisons.push(...hashed.comparisons.map((c) => ({ ...c, subject: `block ${want} ${c.subject}` })));
      if (!hashed.comparisons.length) comparisons.push({ subject: `block ${want} header`, expected: 'a well-formed header', actual: hashed.message, ok: false });
      return { ok: false, code: 'LEDGER_HEADER_CHAIN_BROKEN', message: `Block ${want}'s header does not hash to its hash`, relation, comparisons };
    }
    parent = hashed.computedHash;
  }
  const end = relation === 'ancestor' ? `block ${n} hash (the checkpoint)` : `block ${b} hash (block B)`;
  comparisons.push(
    { subject: `headers ${lower.number + 1}…${upper.number} linked by parent hash`, expected: String(expected), actual: String(expected), ok: true },
    { subject: end, expected: upper.hash, actual: parent, ok: parent === upper.hash },
  );
  if (parent !== upper.hash) {
    return relation === 'ancestor'
      ? { ok: false, code: 'LEDGER_CHECKPOINT_MISMATCH', message: 'The chain back from the checkpoint does not reach block B: block B is not on the checkpoint’s chain', relation, comparisons }
      : { ok: false, code: 'LEDGER_CHECKPOINT_MISMATCH', message: 'Block B’s chain does not reach back to the checkpoint', relation, comparisons };
  }
  return { ok: true, relation, links: expected, comparisons };
}

/**
 * Remembers chains already checked, for a caller that verifies many days against one B (a range:
 * every day carries the same headers). An entry is used only when the chain id, block B, the
 * checkpoint and every header are the same text as before, so a day whose headers were altered is
 * checked afresh; a few entries are kept. One per caller (a service, a window's run), never shared
 * global state. A year against 1,000 headers: measured in the note of issue 19.
 */
export class HeaderChainMemo {
  readonly #entries = new Map<string, HeaderChainResult>();
  constructor(private readonly size = 8) {}

  check(args: Parameters<typeof verifyHeaderChain>[0]): HeaderChainResult {
    const key = JSON.stringify([args.chainId, args.block.number, args.block.hash.toLowerCase(), args.chain.checkpoint, args.chain.headers]);
    const kept = this.#entries.get(key);
    if (kept) return kept;
    const result = verifyHeaderChain(args);
    this.#entries.set(key, result);
    if (this.#entries.size > this.size) this.#entries.delete(this.#entries.keys().next().value!);
    return result;
  }
}

/** Where the checkpoint came from, in words for the report ("the bill (November bill)"). */
export function checkpointBasis(c: PinnedCheckpoint): string {
  const from = c.source.kind === 'bill' ? 'the bill' : c.source.kind === 'file' ? 'a file' : 'a second endpoint';
  return `the checkpoint pinned on ${c.pinnedAt} from ${from}${c.source.label ? ` (${c.source.label})` : ''}, block ${c.number}`;
}

/**
 * The report's 'checkpoint' step. Without a pinned checkpoint it is skipped with
 * LEDGER_NO_CHECKPOINT: block B then rests on the endpoint's word (and a second endpoint's).
 */
export function checkpointStep(args: {
  readonly chainId: number;
  readonly block: { readonly number: number; readonly hash: string } | null;
  readonly chain: HeaderChainEvidence | null | undefined;
  /** Why the chain is absent although a checkpoint is pinned (main could not fetch it). */
  readonly unavailable?: { readonly code: string; readonly message: string } | null;
  readonly memo?: HeaderChainMemo | undefined;
}): { step: VerifyStep; relation: CheckpointRelation | null } {
  if (args.unavailable) return { step: failed('checkpoint', args.unavailable.code, args.unavailable.message), relation: null };
  if (!args.chain) return { step: skipped('checkpoint', 'LEDGER_NO_CHECKPOINT', 'No checkpoint is pinned: block B rests on the endpoint’s word'), relation: null };
  const parsed = pinnedCheckpointSchema.safeParse(args.chain.checkpoint);
  if (!parsed.success) return { step: failed('checkpoint', 'LEDGER_CHECKPOINT_INVALID', 'The pinned checkpoint is malformed'), relation: null };
  if (!args.block) return { step: skipped('checkpoint', 'LEDGER_RPC_INVALID_ANSWER', 'No proven block to check against the checkpoint'), relation: null };
  const chainArgs = { chainId: args.chainId, block: args.block, chain: { checkpoint: parsed.data, headers: args.chain.headers } };
  const r = args.memo ? args.memo.check(chainArgs) : verifyHeaderChain(chainArgs);
  const basis = checkpointBasis(parsed.data);
  if (!r.ok) return { step: failed('checkpoint', r.code, `${r.message}; checked against ${basis}`, r.comparisons), relation: r.relation };
  // Only 'at' and 'ancestor' tie B to the checkpoint's chain: anyone can build headers on top of a
  // known block, so 'descendant' says B is built on it, not that it is the chain everyone follows.
  const how =
    r.relation === 'at'
      ? 'Block B is the checkpoint block'
      : r.relation === 'ancestor'
        ? `Block B is an ancestor of the checkpoint (${r.links} headers)`
        : `Block B is built on the checkpoint (${r.links} headers; a checkpoint newer than B would also show it is the chain everyone follows)`;
  return { step: { id: 'checkpoint', status: 'pass', code: null, message: `${how}: checked against ${basis}`, comparisons: r.comparisons }, relation: r.relation };
}
