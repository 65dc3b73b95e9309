import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, ContractFactory } from 'ethers';
import { MarketChain, MarketService, buyerRefund, costOf } from '../../../main/market/index.js';
import { dayOf } from '../../../main/ledger/day.js';
import type { SaltedInterval } from '../../../main/ledger/tree/index.js';
import { compileLedgerContracts } from '../../fixtures/market/compile-ledger.js';
import { ethersAccounts } from '../../fixtures/market/ethers-accounts.js';
import { startLocalChain, type LocalChain } from '../../fixtures/market/local-chain.js';
import { anchorDay, chainNow, deployLedger, hardhatWallet, newMeterId, operatorDay, registerMeter, travelTo, type MarketWorld } from '../../fixtures/market/market-world.js';

// Offers priced in an ERC-20 token: the buyer allows the market exactly the fill's cost, escrow is
// held in tokens, and settlement and refund move tokens with the same integer rules as native coin.
let chain: LocalChain;
let w: MarketWorld;
let token: Contract;

beforeAll(async () => {
  chain = await startLocalChain(31337);
  w = await deployLedger(chain);
  const source = readFileSync(new URL('../../fixtures/market/TestToken.sol', import.meta.url), 'utf8');
  const art = compileLedgerContracts({ 'TestToken.sol': source }).TestToken!;
  const deployed = await new ContractFactory(art.abi as never, art.bytecode, w.admin).deploy();
  await deployed.waitForDeployment();
  token = new Contract(await deployed.getAddress(), art.abi as never, w.admin);
});
afterAll(async () => chain?.stop());

describe('token-priced offers through MarketService', () => {
  it('escrows tokens on fill, pays the seller pro rata and refunds the buyer exactly', async () => {
    const sellerW = hardhatWallet(2, w.provider);
    const buyerW = hardhatWallet(3, w.provider);
    const meterId = newMeterId('token');
    await registerMeter(w, meterId, sellerW.address);
    await (await token.getFunction('mint')(buyerW.address, 10_000_000n)).wait(); // 10 TWD
    const days = new Map<number, SaltedInterval[]>();
    const make = (signer: typeof sellerW, m: string | null) =>
      new MarketService({ chain: new MarketChain({ provider: w.provider, address: w.address }), accounts: ethersAccounts([signer]), meterId: m, intervals: async (_m, d) => days.get(d) ?? [], exportHistory: { exportWh: async () => null } });
    const seller = make(sellerW, meterId);
    const buyer = make(buyerW, null);

    const day = dayOf(await chainNow(w.provider)) + 1;
    const start = day * 86_400 + 9 * 3600;
    const price = 123_457n; // 0.123457 TWD per kWh
    const { offerHash } = await seller.createOffer({ energyWh: 1000, pricePerKWh: price, deliveryStart: start, deliveryEnd: start + 3600, token: await token.getAddress() });
    const { paid } = await buyer.fill(offerHash, 777);
    expect(paid).toBe(costOf(777, price));
    expect(await token.getFunction('balanceOf')(w.address)).toBe(paid);
    // Exactly the cost was allowed and taken: nothing left over for the market to pull later.
    expect(await token.getFunction('allowance')(buyerW.address, w.address)).toBe(0n);

    const leaves = operatorDay(meterId, day, (k) => (k >= 36 && k < 40 ? 100 : 0)); // 400 Wh of 777
    days.set(day, leaves);
    await travelTo(w.provider, (day + 1) * 86_400 + 60);
    await anchorDay(w, meterId, day, leaves);
    const settled = await seller.settle(offerHash);
    expect(settled.provenWh).toBe(400);
    const refund = buyerRefund(paid, 400, 777);
    expect(await token.getFunction('balanceOf')(sellerW.address)).toBe(paid - refund);
    const before = BigInt(await token.getFunction('balanceOf')(buyerW.address));
    const r = await buyer.reclaim(offerHash);
    expect(r.amount).toBe(refund);
    expect(BigInt(await token.getFunction('balanceOf')(buyerW.address)) - before).toBe(refund);
    expect(await token.getFunction('balanceOf')(w.address)).toBe(0n);
  });

  it('refuses native coin sent with a token fill', async () => {
    const sellerW = hardhatWallet(4, w.provider);
    const meterId = newMeterId('token2');
    await registerMeter(w, meterId, sellerW.address);
    const seller = new MarketService({ chain: new MarketChain({ provider: w.provider, address: w.address }), accounts: ethersAccounts([sellerW]), meterId, intervals: async () => [], exportHistory: { exportWh: async () => null } });
    const start = (dayOf(await chainNow(w.provider)) + 1) * 86_400;
    const { offerHash } = await seller.createOffer({ energyWh: 10, pricePerKWh: 1000n, deliveryStart: start, deliveryEnd: start + 900, token: await token.getAddress() });
    const chainView = new MarketChain({ provider: w.provider, address: w.address });
    await expect(chainView.send(ethersAccounts([hardhatWallet(5, w.provider)]).signer(hardhatWallet(5, w.provider).address), 'fill', [offerHash, 10], 10n)).rejects.toMatchObject({ code: 'MARKET_WRONG_PAYMENT' });
  });
});
