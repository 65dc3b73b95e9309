import { WattletError } from '../../api/errors.js';

/**
 * A checkpoint as the household has it from its second source, read without trusting its form:
 * a line typed from the bill ("Ledger checkpoint: chain 246, block 18,234,567,
 * 0x3f…"), or a checkpoint file (JSON `{ "format": "wattlet.checkpoint/1", "chainId", "number",
 * "hash" }`, or the same as a line). Exactly one 64-digit hash and one block number must be in
 * it; a chain id is optional (then any chain's block of that hash is compared). Isomorphic.
 */
export interface CheckpointText {
  readonly chainId: number | null;
  readonly number: number;
  readonly hash: string;
}

function invalid(problem: string, message: string): WattletError {
  return new WattletError('LEDGER_CHECKPOINT_INVALID', message, { problem });
}

function wholeNumber(text: string): number | null {
  const digits = text.replace(/[,_'\s\u00a0\u202f]/g, '');
  if (!/^\d{1,15}$/.test(digits)) return null;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : null;
}

function fromJson(text: string): CheckpointText | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('not-a-checkpoint', 'The file is JSON but not a checkpoint');
  const o = raw as Record<string, unknown>;
  const hash = typeof o['hash'] === 'string' ? o['hash'] : null;
  const number = typeof o['number'] === 'number' ? o['number'] : typeof o['number'] === 'string' ? wholeNumber(o['number']) : null;
  const chainId = typeof o['chainId'] === 'number' ? o['chainId'] : typeof o['chainId'] === 'string' ? wholeNumber(o['chainId']) : null;
  if (!hash || !/^0x[0-9a-fA-F]{64}$/.test(hash)) throw invalid('no-hash', 'The checkpoint file has no 32-byte block hash');
  if (number === null || !Number.isSafeInteger(number) || number < 0) throw invalid('no-number', 'The checkpoint file has no block number');
  if (chainId !== null && (!Number.isSafeInteger(chainId) || chainId <= 0)) throw invalid('bad-chain', 'The checkpoint file names no valid chain id');
  return { chainId, number, hash: hash.toLowerCase() };
}

export function parseCheckpointText(text: string): CheckpointText {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const json = fromJson(trimmed);
    if (json) return json;
  }
  const hashes = trimmed.match(/0x[0-9a-fA-F]{64}(?![0-9a-fA-F])/g) ?? [];
  if (hashes.length === 0) throw invalid('no-hash', 'No 32-byte block hash (0x and 64 hex digits) in the checkpoint');
  if (hashes.length > 1) throw invalid('many-hashes', 'More than one block hash in the checkpoint');
  // A number as printed: plain digits, or groups of three after a separator ("18,234,567", "18 234 567").
  const NUM = String.raw`\d{1,3}(?:[ ,_'\u00a0\u202f]\d{3})+(?!\d)|\d+`;
  let rest = trimmed.replace(hashes[0]!, ' ');
  let chainId: number | null = null;
  const chain = new RegExp(String.raw`(?:chain(?:\s*id)?|链)\s*[:=#：]?\s*(${NUM})`, 'i').exec(rest);
  if (chain) {
    chainId = wholeNumber(chain[1]!);
    if (chainId === null || chainId <= 0) throw invalid('bad-chain', 'The chain id is not a whole number');
    rest = rest.replace(chain[0], ' ');
  }
  const labelled = new RegExp(String.raw`(?:block|区块|#)\s*(?:number|no\.?|号)?\s*[:=#：]?\s*(${NUM})`, 'i').exec(rest);
  let number: number | null;
  if (labelled) number = wholeNumber(labelled[1]!);
  else {
    const numbers = rest.match(new RegExp(NUM, 'g')) ?? [];
    if (numbers.length === 0) throw invalid('no-number', 'No block number in the checkpoint');
    if (numbers.length > 1) throw invalid('many-numbers', 'More than one number in the checkpoint: write "block N"');
    number = wholeNumber(numbers[0]!);
  }
  if (number === null) throw invalid('no-number', 'The block number is not a whole number');
  return { chainId, number, hash: hashes[0]!.toLowerCase() };
}
