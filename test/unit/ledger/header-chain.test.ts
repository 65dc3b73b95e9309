import { describe, expect, it } from 'vitest';
import { parseCheckpointText } from '../../../main/ledger/checkpoint/checkpoint-text.js';
import { checkpointStep, HeaderChainMemo, verifyHeaderChain, type PinnedCheckpoint } from '../../../main/ledger/verify/header-chain.js';
import { verifyHeaderHash } from '../../../main/ledger/verify/header-hash.js';

// Headers built here are real: each hash is keccak256 of the header's RLP (header-hash.ts,
// London fields), each parentHash the hash before it, so the chain is what a node would serve.
const h32 = (n: number) => '0x' + n.toString(16).padStart(64, '0');
const GENESIS_PARENT = h32(0xabc);

function header(number: number, parentHash: string, salt = 0): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    parentHash,
    sha3Uncles: h32(1),
    miner: '0x' + '11'.repeat(20),
    stateRoot: h32(1000 + number + salt),
    transactionsRoot: h32(2),
    receiptsRoot: h32(3),
    logsBloom: '0x' + '00'.repeat(256),
    difficulty: '0x0',
    number: '0x' + number.toString(16),
    gasLimit: '0x1c9c380',
    gasUsed: '0x0',
    timestamp: '0x' + (1_700_000_000 + number * 12).toString(16),
    extraData: '0x',
    mixHash: h32(4),
    nonce: '0x0000000000000000',
    baseFeePerGas: '0x7',
    hash: h32(0),
  };
  const r = verifyHeaderHash(fields);
  if (r.ok) throw new Error('unexpected');
  fields['hash'] = r.comparisons[0]!.expected; // the computed hash
  return fields;
}

/** Blocks 0..count-1, each naming the one before as its parent. */
function chain(count: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let n = 0; n < count; n++) out.push(header(n, n === 0 ? GENESIS_PARENT : String(out[n - 1]!['hash'])));
  return out;
}

const blocks = chain(40);
const hashOf = (n: number) => String(blocks[n]!['hash']);
const pin = (n: number, over: Partial<PinnedCheckpoint> = {}): PinnedCheckpoint => ({
  chainId: 31337,
  number: n,
  hash: hashOf(n),
  pinnedAt: '2026-12-01',
  source: { kind: 'bill', label: 'November bill' },
  ...over,
});
const between = (a: number, b: number) => blocks.slice(Math.min(a, b) + 1, Math.max(a, b) + 1).map((x) => ({ ...x }));

describe('the header chain from a pinned checkpoint to block B', () => {
  it('passes when B is the checkpoint block, an ancestor of it, or a descendant, saying which', () => {
    expect(verifyHeaderChain({ chainId: 31337, block: { number: 10, hash: hashOf(10) }, chain: { checkpoint: pin(10), headers: [] } })).toMatchObject({ ok: true, relation: 'at', links: 0 });
    expect(verifyHeaderChain({ chainId: 31337, block: { number: 10, hash: hashOf(10) }, chain: { checkpoint: pin(30), headers: between(10, 30) } })).toMatchObject({ ok: true, relation: 'ancestor', links: 20 });
    expect(verifyHeaderChain({ chainId: 31337, block: { number: 30, hash: hashOf(30) }, chain: { checkpoint: pin(10), headers: between(10, 30) } })).toMatchObject({ ok: true, relation: 'descendant', links: 20 });
  });

  it('refuses a checkpoint of another chain, or another hash at the same number', () => {
    expect(verifyHeaderChain({ chainId: 1, block: { number: 10, hash: hashOf(10) }, chain: { checkpoint: pin(10), headers: [] } })).toMatchObject({ ok: false, code: 'LEDGER_CHECKPOINT_MISMATCH' });
    expect(verifyHeaderChain({ chainId: 31337, block: { number: 10, hash: hashOf(10) }, chain: { checkpoint: pin(10, { hash: h32(7) }), headers: [] } })).toMatchObject({ ok: false, code: 'LEDGER_CHECKPOINT_MISMATCH' });
    // B is not on the checkpoint's chain: a fork whose block 10 differs.
    const fork = header(10, hashOf(9), 1);
    expect(verifyHeaderChain({ chainId: 31337, block: { number: 10, hash: String(fork['hash']) }, chain: { checkpoint: pin(30), headers: between(10, 30) } })).toMatchObject({ ok: false, code: 'LEDGER_CHECKPOINT_MISMATCH' });
    expect(verifyHeaderChain({ chainId: 31337, block: { number: 30, hash: hashOf(30) }, chain: { checkpoint: pin(10, { hash: String(fork['hash']) }), headers: between(10, 30) } })).toMatchObject({ ok: false, code: 'LEDGER_CHECKPOINT_MISMATCH' });
  });

  it('names the header that was altered, skipped or re-hashed', () => {
    const flipped = between(10, 30);
    const sr = String(flipped[5]!['stateRoot']);
    flipped[5]!['stateRoot'] = sr.slice(0, -1) + (sr.endsWith('0') ? '1' : '0');
    const a = verifyHeaderChain({ chainId: 31337, block: { number: 30, hash: hashOf(30) }, chain: { checkpoint: pin(10), headers: flipped } });
    expect(a).toMatchObject({ ok: false, code: 'LEDGER_HEADER_CHAIN_BROKEN' });
    expect(a.comparisons.at(-1)!.subject).toContain('block 16');
    // The same header with its hash recomputed: its child no longer names it.
    const rehashed = between(10, 30);
    rehashed[5] = header(16, hashOf(15), 9);
    const b = verifyHeaderChain({ chainId: 31337, block: { number: 30, hash: hashOf(30) }, chain: { checkpoint: pin(10), headers: rehashed } });
    expect(b).toMatchObject({ ok: false, code: 'LEDGER_HEADER_CHAIN_BROKEN' });
    expect(b.comparisons.at(-1)!.subject).toBe('block 17 parentHash');
    const skipped = between(10, 30).filter((_, i) => i !== 3);
    expect(verifyHeaderChain({ chainId: 31337, block: { number: 30, hash: hashOf(30) }, chain: { checkpoint: pin(10), headers: skipped } })).toMatchObject({ ok: false, code: 'LEDGER_HEADER_CHAIN_BROKEN' });
    const notHeaders = between(10, 30).map((x, i) => (i === 2 ? 'nonsense' : x));
    expect(verifyHeaderChain({ chainId: 31337, block: { number: 30, hash: hashOf(30) }, chain: { checkpoint: pin(10), headers: notHeaders } })).toMatchObject({ ok: false, code: 'LEDGER_HEADER_CHAIN_BROKEN' });
  });

  it('as a report step: skipped without a checkpoint, and naming what the verdict rests on', () => {
    expect(checkpointStep({ chainId: 31337, block: { number: 30, hash: hashOf(30) }, chain: null }).step).toMatchObject({ id: 'checkpoint', status: 'skipped', code: 'LEDGER_NO_CHECKPOINT' });
    const ok = checkpointStep({ chainId: 31337, block: { number: 30, hash: hashOf(30) }, chain: { checkpoint: pin(10), headers: between(10, 30) } });
    expect(ok.step.status).toBe('pass');
    expect(ok.step.message).toContain('checked against the checkpoint pinned on 2026-12-01 from the bill (November bill), block 10');
    expect(ok.relation).toBe('descendant');
    const tooFar = checkpointStep({ chainId: 31337, block: { number: 30, hash: hashOf(30) }, chain: null, unavailable: { code: 'LEDGER_HEADER_CHAIN_TOO_LONG', message: 'far' } });
    expect(tooFar.step).toMatchObject({ status: 'fail', code: 'LEDGER_HEADER_CHAIN_TOO_LONG' });
  });
});

describe('a memo of chains already checked (a range: every day links the same B)', () => {
  it('answers the same text from memory, and checks afresh a day whose headers differ by one byte', () => {
    const memo = new HeaderChainMemo(2);
    const args = () => ({ chainId: 31337, block: { number: 30, hash: hashOf(30) }, chain: { checkpoint: pin(10), headers: between(10, 30) } });
    const first = memo.check(args());
    expect(first.ok).toBe(true);
    expect(memo.check(args())).toBe(first); // the same text: remembered
    const altered = args();
    const h = altered.chain.headers[7] as Record<string, string>;
    h['gasUsed'] = '0x1';
    expect(memo.check(altered)).toMatchObject({ ok: false, code: 'LEDGER_HEADER_CHAIN_BROKEN' });
    expect(memo.check({ ...args(), block: { number: 30, hash: hashOf(29) } })).toMatchObject({ ok: false });
    expect(memo.check(args()).ok).toBe(true);
    // Through the report step too.
    expect(checkpointStep({ ...args(), memo }).step.status).toBe('pass');
    expect(checkpointStep({ ...altered, memo }).step).toMatchObject({ status: 'fail', code: 'LEDGER_HEADER_CHAIN_BROKEN' });
  });
});

describe('a checkpoint as typed from the bill or read from a file', () => {
  const hash = '0x' + '3f'.repeat(32);
  it('reads a line with separators, a chain id and words around it', () => {
    expect(parseCheckpointText(`Ledger checkpoint: chain 246, block 18,234,567, ${hash.toUpperCase().replace('0X', '0x')}`)).toEqual({ chainId: 246, number: 18_234_567, hash });
    expect(parseCheckpointText(`18 234 567 ${hash}`)).toEqual({ chainId: null, number: 18_234_567, hash });
    expect(parseCheckpointText(`账本检查点：链 246 区块 1234 ${hash}`)).toEqual({ chainId: 246, number: 1234, hash });
    expect(parseCheckpointText(JSON.stringify({ format: 'wattlet.checkpoint/1', chainId: 31337, number: 77, hash }))).toEqual({ chainId: 31337, number: 77, hash });
  });
  it('refuses what is not one number and one hash, with a reason', () => {
    for (const [text, problem] of [
      ['block 12', 'no-hash'],
      [`${hash}`, 'no-number'],
      [`12 13 ${hash}`, 'many-numbers'],
      [`12 ${hash} ${'0x' + 'aa'.repeat(32)}`, 'many-hashes'],
      ['{"number": 1}', 'no-hash'],
      ['[1,2]', 'no-hash'],
    ] as const) {
      expect(() => parseCheckpointText(text), text).toThrowError(expect.objectContaining({ code: 'LEDGER_CHECKPOINT_INVALID', facts: { problem } }) as Error);
    }
  });
});
