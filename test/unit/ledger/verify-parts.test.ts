import { describe, expect, it } from 'vitest';
import { formatDay, parseDay } from '../../../main/ledger/day.js';
import { meterIdOf } from '../../../main/ledger/chain/meter-id.js';
import { compareReadings } from '../../../main/ledger/verify/compare-readings.js';
import { decodeTotals } from '../../../main/ledger/verify/anchor-slots.js';
import { verifyHeaderHash } from '../../../main/ledger/verify/header-hash.js';
import { checkFinality } from '../../../main/ledger/verify/finality.js';

describe('days', () => {
  it('round-trips UTC dates and refuses impossible ones', () => {
    expect(parseDay('1970-01-02')).toBe(1);
    expect(formatDay(parseDay('2024-02-29')!)).toBe('2024-02-29');
    expect(parseDay('2025-02-29')).toBeUndefined();
    expect(parseDay('2025-1-01')).toBeUndefined();
  });
  it('hashes a printed serial into a bytes32 meter id and keeps a hex id', () => {
    expect(meterIdOf('E003')).toMatch(/^0x[0-9a-f]{64}$/);
    expect(meterIdOf('0x' + 'AB'.repeat(32))).toBe('0x' + 'ab'.repeat(32));
  });
});

describe('readings against the operator', () => {
  const iv = (start: number, importWh: bigint, exportWh = 0n) => ({ start, seconds: 900, importWh, exportWh });
  it('treats a difference below the resolution as equal and lists every other difference', () => {
    const mine = [iv(0, 100n), iv(900, 200n), iv(1800, 5n)];
    const theirs = [iv(0, 109n), iv(900, 210n), iv(2700, 1n)];
    const r = compareReadings(mine, theirs, 10n);
    expect(r.filter((c) => !c.ok).map((c) => [c.subject, c.expected, c.actual])).toEqual([
      ['1970-01-01T00:15Z importWh', '200', '210'],
      ['1970-01-01T00:45Z interval', 'missing', '1/0'],
      ['1970-01-01T00:30Z interval', '5/0', 'missing'],
    ]);
  });
});

describe('packed totals', () => {
  it('decodes importWh, exportWh and anchoredAt from one word, lowest-order first', () => {
    expect(decodeTotals(5n | (7n << 64n) | (9n << 128n))).toEqual({ importWh: 5n, exportWh: 7n, anchoredAt: 9n });
  });
});

describe('header fields', () => {
  // Ethereum mainnet block 0 (genesis), from any archive node: frontier field list.
  const genesis = {
    hash: '0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3',
    parentHash: '0x0000000000000000000000000000000000000000000000000000000000000000',
    sha3Uncles: '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347',
    miner: '0x0000000000000000000000000000000000000000',
    stateRoot: '0xd7f8974fb5ac78d9ac099b9ad5018bedc2ce0a72dad1827a1709da30580f0544',
    transactionsRoot: '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421',
    receiptsRoot: '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421',
    logsBloom: '0x' + '00'.repeat(256),
    difficulty: '0x400000000',
    number: '0x0',
    gasLimit: '0x1388',
    gasUsed: '0x0',
    timestamp: '0x0',
    extraData: '0x11bbe8db4e347b4e8c937c1c8370e4b5ed33adb3db69cbdb7a38e1e50b1b82fa',
    mixHash: '0x0000000000000000000000000000000000000000000000000000000000000000',
    nonce: '0x0000000000000042',
    totalDifficulty: '0x400000000',
    size: '0x21c',
    transactions: [],
    uncles: [],
  };
  it('re-hashes Ethereum mainnet genesis', () => {
    expect(verifyHeaderHash(genesis)).toMatchObject({ ok: true, fork: 'legacy' });
  });
  it('refuses consensus-engine fields it does not know (AuRa seal fields)', () => {
    expect(verifyHeaderHash({ ...genesis, sealFields: [], step: '0x1' })).toMatchObject({ ok: false, code: 'PROOF_UNKNOWN_HEADER_FIELD' });
  });
  it('refuses a half Cancun header', () => {
    const r = verifyHeaderHash({ ...genesis, baseFeePerGas: '0x1', withdrawalsRoot: genesis.receiptsRoot, blobGasUsed: '0x0' });
    expect(r).toMatchObject({ ok: false, code: 'PROOF_HEADER_FORK' });
  });
});

describe('finality', () => {
  it('needs the depth and the second endpoint to agree', () => {
    const h = '0x' + 'aa'.repeat(32);
    expect(checkFinality({ blockNumber: 10, head: 16, minDepth: 6, blockHash: h }).every((c) => c.ok)).toBe(true);
    expect(checkFinality({ blockNumber: 10, head: 15, minDepth: 6, blockHash: h })[0]!.ok).toBe(false);
    expect(checkFinality({ blockNumber: 10, head: 16, minDepth: 6, blockHash: h, second: { url: 'x', blockHash: null } })[1]!.ok).toBe(false);
  });
});
