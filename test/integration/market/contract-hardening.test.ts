import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, ContractFactory, Interface, type ContractTransactionResponse, type HDNodeWallet, type TransactionReceipt } from 'ethers';
import { startLocalChain, type LocalChain } from '../../fixtures/market/local-chain.js';
import { compileLedgerContracts, type Artifact } from '../../fixtures/market/compile-ledger.js';
import { anchorDay, chainNow, deployLedger, hardhatWallet, newMeterId, operatorDay, registerMeter, travelTo, type MarketWorld } from '../../fixtures/market/market-world.js';
import { ENERGY_MARKET_ABI } from '../../../main/market/market-abi.js';
import { MAX_LEAD_SECONDS, SETTLEMENT_GRACE_SECONDS, hashOffer, marketDomain, offerTuple, offerTypes, offerValue, NATIVE_TOKEN, type Offer } from '../../../main/market/offer.js';
import { buildSettlementProofs, dayProofTuples } from '../../../main/market/settlement-proof.js';
import { costOf } from '../../../main/market/pricing.js';
import { dayOf } from '../../../main/ledger/day.js';

// EnergyMarket's defences against the griefing seen live on the demo chain (issue 18), each on a real
// Hardhat (EDR) node against the contract as written: dust buyers filling the buyer list, a window
// near 2^64 locking escrow for good, a fee-on-transfer token, a contract seller (ERC-1271), a token
// that calls back into the market, and a seller buying its own offer.
let chain: LocalChain;
let w: MarketWorld;
let art: Record<string, Artifact>;
const PRICE = 190_000n; // €0.19 per kWh in a 6-decimal token; in wei for native offers

beforeAll(async () => {
  chain = await startLocalChain(31337);
  w = await deployLedger(chain);
  const fixture = (name: string) => readFileSync(new URL(`../../fixtures/market/${name}`, import.meta.url), 'utf8');
  art = compileLedgerContracts({ 'HostileToken.sol': fixture('HostileToken.sol'), 'FeeToken.sol': fixture('FeeToken.sol'), 'ContractSeller.sol': fixture('ContractSeller.sol') });
});
afterAll(async () => chain?.stop());

const market = new Interface(ENERGY_MARKET_ABI);
const as = (who: HDNodeWallet): Contract => new Contract(w.address, ENERGY_MARKET_ABI, who);

/** Hardhat funds its first 20 accounts; the others get a coin from the admin before they act. */
async function funded(index: number): Promise<HDNodeWallet> {
  const who = hardhatWallet(index, w.provider);
  if (index >= 20 && (await w.provider.getBalance(who.address)) === 0n) {
    await (await w.admin.sendTransaction({ to: who.address, value: 10n ** 18n })).wait();
  }
  return who;
}

async function mined(tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const r = await (await tx).wait();
  if (!r) throw new Error('no receipt');
  return r;
}

/** The custom error a call reverts with, decoded from the market's or a fixture's ABI. */
function revertName(e: unknown, extra?: Interface): string {
  const data = (e as { data?: unknown }).data;
  if (typeof data !== 'string') return String(e).slice(0, 200);
  for (const iface of [market, ...(extra ? [extra] : [])]) {
    try {
      const parsed = iface.parseError(data);
      if (parsed) return parsed.name;
    } catch {
      // not this ABI's error
    }
  }
  return data;
}

async function expectRevert(p: Promise<unknown>, name: string, extra?: Interface): Promise<void> {
  await expect(p.then(() => 'no revert', (e: unknown) => revertName(e, extra))).resolves.toBe(name);
}

async function deploy(name: string, signer: HDNodeWallet, ...args: unknown[]): Promise<Contract> {
  const a = art[name]!;
  const c = await new ContractFactory(a.abi as never, a.bytecode, signer).deploy(...args);
  await c.waitForDeployment();
  return new Contract(await c.getAddress(), a.abi as never, signer);
}

interface Listed {
  readonly offer: Offer;
  readonly hash: string;
  readonly signature: string;
  readonly day: number;
}

/** A signed offer for 10:00–12:00 UTC tomorrow (chain time) of a meter registered to `seller`. */
async function offerOf(seller: HDNodeWallet, over: Partial<Offer> = {}, owner: string = seller.address): Promise<Listed> {
  const meterId = over.meterId ?? newMeterId('harden');
  if (!over.meterId) await registerMeter(w, meterId, owner);
  const day = dayOf(await chainNow(w.provider)) + 1;
  const start = day * 86_400 + 10 * 3600;
  const energyWh = over.energyWh ?? 3200;
  const offer: Offer = {
    seller: owner, meterId, energyWh, minFillWh: Math.ceil(energyWh / 32), pricePerKWh: PRICE, token: NATIVE_TOKEN,
    deliveryStart: start, deliveryEnd: start + 7200, expiry: start, nonce: BigInt(Math.floor(Math.random() * 1e9)), ...over,
  };
  const domain = marketDomain(w.chainId, w.address);
  const hash = hashOffer(domain, offer);
  // A contract seller's owner signs the digest itself (ERC-1271 checks it); an EOA signs typed data.
  const signature = owner === seller.address ? await seller.signTypedData(domain, offerTypes(), offerValue(offer)) : seller.signingKey.sign(hash).serialized;
  return { offer, hash, signature, day };
}

async function publish(by: HDNodeWallet, l: Listed): Promise<void> {
  await mined(as(by).getFunction('publishOffer')(offerTuple(l.offer), l.signature));
}

const fillNative = (buyer: HDNodeWallet, l: Listed, wh: number) => as(buyer).getFunction('fill')(l.hash, wh, { value: costOf(wh, l.offer.pricePerKWh) });

describe('a seller-set minimum fill: no stranger can lock honest buyers out', () => {
  it('refuses dust: 32 strangers taking 1 Wh each can no longer fill the buyer list', async () => {
    const seller = hardhatWallet(2, w.provider);
    const l = await offerOf(seller, { energyWh: 3200, minFillWh: 100 });
    await publish(seller, l);
    const stranger = hardhatWallet(3, w.provider);
    await expectRevert(fillNative(stranger, l, 1), 'FillTooSmall');
    await expectRevert(fillNative(stranger, l, 99), 'FillTooSmall');
    // To keep others out, strangers must buy it all, at the price: a purchase, not a grief.
    await mined(fillNative(stranger, l, 100));
    const rec = await as(stranger).getFunction('offerRecord')(l.hash);
    expect(rec.filledWh).toBe(100n);
    expect(rec.minFillWh).toBe(100n);
  });

  it('lets the last buyer take what is left even below the minimum, so an offer can always sell out', async () => {
    const seller = hardhatWallet(2, w.provider);
    const l = await offerOf(seller, { energyWh: 1000, minFillWh: 300 });
    await publish(seller, l);
    for (const [i, wh] of [[4, 300], [5, 300], [6, 300]] as const) await mined(fillNative(hardhatWallet(i, w.provider), l, wh));
    await expectRevert(fillNative(hardhatWallet(7, w.provider), l, 50), 'FillTooSmall');
    await mined(fillNative(hardhatWallet(7, w.provider), l, 100));
    expect((await as(seller).getFunction('buyersOf')(l.hash)).length).toBe(4);
  });

  it('refuses a minimum that would let more than MAX_BUYERS in, one of zero, or one above the energy', async () => {
    const seller = hardhatWallet(2, w.provider);
    for (const minFillWh of [0, 1, 99, 3201]) {
      const l = await offerOf(seller, { energyWh: 3200, minFillWh });
      await expectRevert(as(seller).getFunction('publishOffer')(offerTuple(l.offer), l.signature), 'InvalidMinFill');
    }
  });

  it('fills the whole offer with the smallest minimum and MAX_BUYERS buyers: the cap is never the reason to refuse', async () => {
    const seller = hardhatWallet(2, w.provider);
    const l = await offerOf(seller, { energyWh: 3200, minFillWh: 100 });
    await publish(seller, l);
    for (let i = 0; i < 32; i++) await mined(fillNative(await funded(40 + i), l, 100));
    expect((await as(seller).getFunction('buyersOf')(l.hash)).length).toBe(32);
    await expectRevert(fillNative(await funded(80), l, 100), 'OverFill');
  });
});

describe('delivery windows bounded relative to now and expiry', () => {
  it('refuses a window near 2^64, or starting more than 30 days ahead, so escrow is never locked for good', async () => {
    const seller = hardhatWallet(2, w.provider);
    // The window the demo chain was attacked with: near 2^64 (beyond a JS number: bigints here).
    const meterId = newMeterId('far');
    await registerMeter(w, meterId, seller.address);
    const now = await chainNow(w.provider);
    const farStart = 2n ** 64n - 2n * 3600n - ((2n ** 64n - 2n * 3600n) % 900n);
    const far = { seller: seller.address, meterId, energyWh: 1000n, minFillWh: 32n, pricePerKWh: PRICE, token: NATIVE_TOKEN, deliveryStart: farStart, deliveryEnd: farStart + 900n, expiry: BigInt(now + 3600), nonce: 1n };
    const farSignature = await seller.signTypedData(marketDomain(w.chainId, w.address), offerTypes(), far);
    await expectRevert(as(seller).getFunction('publishOffer')(Object.values(far), farSignature), 'WindowTooFar');
    const startOk = Math.ceil((now + MAX_LEAD_SECONDS - 3600) / 900) * 900;
    const ok = await offerOf(seller, { deliveryStart: startOk, deliveryEnd: startOk + 900, expiry: now + 3600 });
    await publish(seller, ok);
    const startFar = Math.ceil((now + MAX_LEAD_SECONDS + 3600) / 900) * 900;
    const tooFar = await offerOf(seller, { deliveryStart: startFar, deliveryEnd: startFar + 900, expiry: now + 3600 });
    await expectRevert(as(seller).getFunction('publishOffer')(offerTuple(tooFar.offer), tooFar.signature), 'WindowTooFar');
    // Expiry after the window's end stays refused: buyers commit before delivery ends.
    const late = await offerOf(seller, { expiry: startOk + 1800, deliveryStart: startOk, deliveryEnd: startOk + 900 });
    await expectRevert(as(seller).getFunction('publishOffer')(offerTuple(late.offer), late.signature), 'InvalidWindow');
  });

  it('lets the buyer of the furthest window allowed reclaim within lead + window + grace', async () => {
    const seller = hardhatWallet(2, w.provider);
    const buyer = hardhatWallet(8, w.provider);
    const now = await chainNow(w.provider);
    const start = Math.floor((now + MAX_LEAD_SECONDS - 60) / 900) * 900;
    const l = await offerOf(seller, { energyWh: 320, deliveryStart: start, deliveryEnd: start + 7 * 86_400, expiry: now + 3600 });
    await publish(seller, l);
    await mined(fillNative(buyer, l, 320));
    await travelTo(w.provider, now + MAX_LEAD_SECONDS + 7 * 86_400 + SETTLEMENT_GRACE_SECONDS + 60);
    await mined(as(buyer).getFunction('reclaim')(l.hash));
    expect((await as(buyer).getFunction('fillOf')(l.hash, buyer.address)).reclaimed).toBe(true);
  });
});

describe('no self-trade', () => {
  it("refuses the seller's own purchase", async () => {
    const seller = hardhatWallet(2, w.provider);
    const l = await offerOf(seller);
    await publish(seller, l);
    await expectRevert(fillNative(seller, l, 100), 'SelfTrade');
  });
});

describe('token escrow is what arrived', () => {
  it('refuses a fee-on-transfer token instead of crediting escrow with money that never came', async () => {
    const seller = hardhatWallet(2, w.provider);
    const buyer = hardhatWallet(9, w.provider);
    const fee = await deploy('FeeToken', w.admin);
    await mined(fee.getFunction('mint')(buyer.address, 10_000_000n));
    const l = await offerOf(seller, { token: await fee.getAddress() });
    await publish(seller, l);
    const cost = costOf(1000, PRICE);
    await mined((fee.connect(buyer) as Contract).getFunction('approve')(w.address, cost));
    await expectRevert(as(buyer).getFunction('fill')(l.hash, 1000), 'TokenTransferMismatch');
    expect((await as(buyer).getFunction('offerRecord')(l.hash)).escrow).toBe(0n);
    expect(await fee.getFunction('balanceOf')(w.address)).toBe(0n);
  });
});

describe('a contract seller (ERC-1271)', () => {
  it('publishes with its owner vouching, sells, settles through its own call and is paid', async () => {
    const owner = (await funded(20));
    const wallet = await deploy('ContractSeller', owner, owner.address);
    const sellerAddress = await wallet.getAddress();
    const l = await offerOf(owner, { energyWh: 1000 }, sellerAddress);
    // Anyone may relay it: the contract's isValidSignature is what counts.
    await publish((await funded(21)), l);
    const buyer = (await funded(22));
    await mined(fillNative(buyer, l, 1000));
    const leaves = operatorDay(l.offer.meterId, l.day, (k) => (k >= 40 && k < 48 ? 200 : 0));
    await travelTo(w.provider, (l.day + 1) * 86_400 + 60);
    await anchorDay(w, l.offer.meterId, l.day, leaves);
    const proofs = dayProofTuples(await buildSettlementProofs(l.offer, async () => leaves));
    // Only the seller settles: a stranger cannot, the contract wallet can.
    await expectRevert(as(buyer).getFunction('settle')(l.hash, proofs), 'NotSeller');
    const before = await w.provider.getBalance(sellerAddress);
    await mined(wallet.getFunction('execute')(w.address, market.encodeFunctionData('settle', [l.hash, proofs])));
    expect((await w.provider.getBalance(sellerAddress)) - before).toBe(costOf(1000, PRICE));
  });

  it('refuses an offer the contract does not vouch for', async () => {
    const owner = (await funded(23));
    const wallet = await deploy('ContractSeller', owner, owner.address);
    const l = await offerOf(owner, {}, await wallet.getAddress());
    await mined(wallet.getFunction('setHonest')(false));
    await expectRevert(as(owner).getFunction('publishOffer')(offerTuple(l.offer), l.signature), 'InvalidSignature');
    // A stranger's signature is not the contract's either.
    await mined(wallet.getFunction('setHonest')(true));
    const forged = await offerOf((await funded(24)), { meterId: l.offer.meterId, nonce: 5n }, await wallet.getAddress());
    await expectRevert(as(owner).getFunction('publishOffer')(offerTuple(forged.offer), forged.signature), 'InvalidSignature');
  });
});

describe('reentrancy through a hostile token', () => {
  it('refuses a fill whose token calls back into fill, and a reclaim whose payout calls back into reclaim', async () => {
    const seller = hardhatWallet(2, w.provider);
    const buyer = (await funded(25));
    const hostile = await deploy('HostileToken', w.admin);
    const hostileIface = hostile.interface;
    await mined(hostile.getFunction('mint')(buyer.address, 100_000_000n));
    const l = await offerOf(seller, { token: await hostile.getAddress() });
    await publish(seller, l);
    await mined((hostile.connect(buyer) as Contract).getFunction('approve')(w.address, 10_000_000n));

    // While the market pulls the buyer's tokens, the token fills again.
    await mined(hostile.getFunction('arm')(w.address, market.encodeFunctionData('fill', [l.hash, 100]), true, false));
    await expectRevert(as(buyer).getFunction('fill')(l.hash, 1000), 'ReentrancyGuardReentrantCall', hostileIface);
    expect((await as(buyer).getFunction('offerRecord')(l.hash)).filledWh).toBe(0n);

    // Disarmed, the purchase goes through; then, with settlement never coming, the refund's
    // payout calls back into reclaim: refused, and the escrow stays whole for the honest reclaim.
    await mined(hostile.getFunction('arm')(w.address, '0x', false, false));
    await mined(as(buyer).getFunction('fill')(l.hash, 1000));
    await travelTo(w.provider, l.offer.deliveryEnd + SETTLEMENT_GRACE_SECONDS + 60);
    await mined(hostile.getFunction('arm')(w.address, market.encodeFunctionData('reclaim', [l.hash]), false, true));
    await expectRevert(as(buyer).getFunction('reclaim')(l.hash), 'ReentrancyGuardReentrantCall', hostileIface);
    expect(await hostile.getFunction('balanceOf')(w.address)).toBe(costOf(1000, PRICE));
    await mined(hostile.getFunction('arm')(w.address, '0x', false, false));
    await mined(as(buyer).getFunction('reclaim')(l.hash));
    expect(await hostile.getFunction('balanceOf')(w.address)).toBe(0n);
    await expectRevert(as(buyer).getFunction('reclaim')(l.hash), 'NothingToReclaim');
  });
});
