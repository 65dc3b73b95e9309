import { WattletError } from '../../api/errors.js';
import type { JsonRpcTransport } from '../rpc/json-rpc.js';
import { MAX_HEADER_CHAIN, type HeaderChainEvidence, type PinnedCheckpoint } from '../verify/header-chain.js';

/** Members of a block object that are the body or derived from it: left out of the chain kept. */
const BODY = new Set(['transactions', 'uncles', 'withdrawals', 'size', 'totalDifficulty']);

/** A block object's header fields and hash only (a pack carries thousands; the body is not needed to hash it). */
export function headerOnly(block: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(block).filter(([k]) => !BODY.has(k)));
}

/**
 * Fetches the headers between block B and the pinned checkpoint N (every block from
 * min(B, N) + 1 to max(B, N), ascending), in batches of parallel requests, at most `max`
 * (LEDGER_HEADER_CHAIN_TOO_LONG beyond: a newer checkpoint, or verifying at the checkpoint
 * block, keeps the chain short). The answers are not checked here: verify/header-chain.ts does.
 */
export async function fetchHeaderChain(args: {
  readonly rpc: JsonRpcTransport;
  readonly blockNumber: number;
  readonly checkpoint: PinnedCheckpoint;
  readonly max?: number;
  readonly batch?: number;
  readonly onProgress?: (done: number, total: number) => void;
}): Promise<HeaderChainEvidence> {
  const max = args.max ?? MAX_HEADER_CHAIN;
  const lower = Math.min(args.blockNumber, args.checkpoint.number);
  const upper = Math.max(args.blockNumber, args.checkpoint.number);
  const total = upper - lower;
  if (total > max) {
    throw new WattletError('LEDGER_HEADER_CHAIN_TOO_LONG', `${total} headers lie between block ${args.blockNumber} and the checkpoint ${args.checkpoint.number}; at most ${max} are fetched`, {
      block: args.blockNumber,
      checkpoint: args.checkpoint.number,
      headers: total,
      max,
    });
  }
  const batch = Math.max(1, args.batch ?? 16);
  const headers: Record<string, unknown>[] = new Array<Record<string, unknown>>(total);
  for (let start = 0; start < total; start += batch) {
    const end = Math.min(total, start + batch);
    await Promise.all(
      Array.from({ length: end - start }, async (_, k) => {
        const n = lower + 1 + start + k;
        const block = await args.rpc.request('eth_getBlockByNumber', ['0x' + n.toString(16), false]);
        if (block === null || typeof block !== 'object' || Array.isArray(block)) {
          throw new WattletError('LEDGER_CHECKPOINT_MISMATCH', `The endpoint has no block ${n} between block B and the checkpoint`, { block: n, checkpoint: args.checkpoint.number });
        }
        headers[start + k] = headerOnly(block as Record<string, unknown>);
      }),
    );
    args.onProgress?.(end, total);
  }
  return { checkpoint: args.checkpoint, headers };
}
