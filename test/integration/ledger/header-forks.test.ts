import { JsonRpcProvider, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { demoAccounts } from '../../../main/ledger/chain/demo-accounts.js';
import { startLocalChain, type LocalHardfork } from '../../../main/ledger/chain/local-chain.js';
import { httpTransport } from '../../../main/ledger/rpc/json-rpc.js';
import { verifyHeaderHash } from '../../../main/ledger/verify/header-hash.js';

// The header check must know each fork's field list (Yellow Paper; EIP-1559, -4895, -4844/-4788, -7685).
// Hardhat's EDR can run each fork, so the real node's hashes are the oracle.
const forks: Array<[LocalHardfork, string]> = [
  ['berlin', 'legacy'],
  ['london', 'london'],
  ['merge', 'london'],
  ['shanghai', 'shanghai'],
  ['cancun', 'cancun'],
  ['prague', 'prague'],
  ['osaka', 'prague'],
];

describe('block header hashes, fork by fork', () => {
  for (const [hardfork, fields] of forks) {
    it(`re-hashes ${hardfork} headers (field list: ${fields}), genesis and a block with a transaction`, async () => {
      const [a, b] = demoAccounts(2);
      const chain = await startLocalChain({ hardfork, accounts: [{ privateKey: a!.privateKey, balanceWei: 10n ** 20n }] });
      const provider = new JsonRpcProvider(chain.url, chain.chainId, { staticNetwork: true });
      try {
        const tx = await new Wallet(a!.privateKey, provider).sendTransaction({ to: b!.address, value: 1000n });
        await tx.wait();
        const rpc = httpTransport(chain.url);
        for (const n of ['0x0', '0x1']) {
          const block = (await rpc.request('eth_getBlockByNumber', [n, false])) as Record<string, unknown>;
          const r = verifyHeaderHash(block);
          expect(r.ok, JSON.stringify(r)).toBe(true);
          expect(r.ok && r.fork).toBe(fields);
        }
      } finally {
        provider.destroy();
        await chain.dispose();
      }
    });
  }
});
