import { Contract, Interface, ZeroHash, type Log, type Provider, type TransactionReceipt } from 'ethers';
import { WattletError } from '../api/errors.js';
import { ENERGY_MARKET_ABI } from './market-abi.js';
import { toMarketError } from './chain-errors.js';
import type { ApprovalCheck } from '../api/wallet.js';
import { marketDomain, offerTypes, offerValue, type MarketDomain, type Offer } from './offer.js';
import type { MarketCall, MarketSigner } from './market-signer.js';
import type { DayAnchorRef } from './settlement-proof.js';

/** EnergyMarket.OfferRecord as the contract stores it. */
export interface OfferRecord {
  readonly seller: string;
  readonly energyWh: number;
  readonly token: string;
  readonly filledWh: number;
  readonly deliveryStart: number;
  readonly deliveryEnd: number;
  readonly expiry: number;
  readonly provenWh: number;
  readonly meterId: string;
  readonly pricePerKWh: bigint;
  readonly escrow: bigint;
  readonly sellerPaid: bigint;
  readonly cancelled: boolean;
  readonly settled: boolean;
  readonly minFillWh: number;
}

export interface PublishedOffer {
  readonly offerHash: string;
  readonly offer: Offer;
  /** The block it was published in (its time is the timeline's 'listed'). */
  readonly blockNumber: number;
}

/** A market event of one offer, with the block it is in. */
export interface OfferEvent {
  readonly offerHash: string;
  readonly blockNumber: number;
  readonly args: Record<string, unknown>;
}

export interface FillInfo {
  readonly buyer: string;
  readonly energyWh: number;
  readonly paid: bigint;
  readonly reclaimed: boolean;
}

export interface MarketChainOptions {
  readonly provider: Provider;
  readonly address: string;
  /** Block the contract was deployed in: where event queries start. */
  readonly fromBlock?: number;
}

const n = (v: unknown): number => Number(v as bigint);

const ERC20_ABI = [
  'function allowance(address owner, address spender) view returns (uint256)',
  'function approve(address spender, uint256 amount) returns (bool)',
  'function balanceOf(address owner) view returns (uint256)',
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
];
const erc20Iface = new Interface(ERC20_ABI);

/**
 * The market's view of EnergyLedger over JSON-RPC: reads (records, events) and writes through the
 * injected signer. Every write is first simulated with eth_call from the signer's address, so a
 * transaction that would revert fails with its MARKET_* code before anyone is asked to approve it.
 */
export class MarketChain {
  readonly iface = new Interface(ENERGY_MARKET_ABI);
  readonly #c: Contract;
  #domain: MarketDomain | null = null;
  /** Block times never change once mined: asked once per block. */
  readonly #blockTimes = new Map<number, Promise<number>>();

  constructor(private readonly opts: MarketChainOptions) {
    this.#c = new Contract(opts.address, ENERGY_MARKET_ABI, opts.provider);
  }

  async domain(): Promise<MarketDomain> {
    if (!this.#domain) {
      const net = await this.#read('getNetwork', () => this.opts.provider.getNetwork());
      this.#domain = marketDomain(net.chainId, this.opts.address);
    }
    return this.#domain;
  }

  /** The contract's clock: the latest block's timestamp (what expiry and windows are judged by). */
  async now(): Promise<number> {
    const b = await this.#read('getBlock', () => this.opts.provider.getBlock('latest'));
    if (!b) throw new WattletError('MARKET_RPC_FAILED', 'no latest block', { method: 'getBlock' });
    return b.timestamp;
  }

  async publishedOffers(seller?: string): Promise<PublishedOffer[]> {
    const filter = this.#c.filters.OfferPublished(null, seller ?? null);
    const logs = await this.#read('getLogs', () => this.#c.queryFilter(filter, this.opts.fromBlock ?? 0));
    return logs.map((log) => {
      const ev = this.iface.parseLog(log as Log);
      if (!ev) throw new WattletError('MARKET_RPC_FAILED', 'unparseable OfferPublished log', { method: 'getLogs' });
      const a = ev.args;
      return {
        offerHash: String(a.offerHash),
        blockNumber: log.blockNumber,
        offer: {
          seller: String(a.seller), meterId: String(a.meterId), energyWh: n(a.energyWh), minFillWh: n(a.minFillWh), pricePerKWh: BigInt(a.pricePerKWh),
          token: String(a.token), deliveryStart: n(a.deliveryStart), deliveryEnd: n(a.deliveryEnd), expiry: n(a.expiry), nonce: BigInt(a.nonce),
        },
      };
    });
  }

  /** Events `name` (OfferFilled, OfferSettled, EscrowReclaimed, OfferCancelled) of the given offers, oldest first. */
  async offerEvents(name: 'OfferFilled' | 'OfferSettled' | 'EscrowReclaimed' | 'OfferCancelled', offerHashes: readonly string[]): Promise<OfferEvent[]> {
    if (offerHashes.length === 0) return [];
    const filter = this.#c.filters[name]!([...offerHashes]);
    const logs = await this.#read('getLogs', () => this.#c.queryFilter(filter, this.opts.fromBlock ?? 0));
    return logs.map((log) => {
      const ev = this.iface.parseLog(log as Log);
      return { offerHash: String(ev?.args.offerHash), blockNumber: log.blockNumber, args: ev?.args.toObject() ?? {} };
    });
  }

  /** The time of a mined block (unix seconds). */
  blockTime(blockNumber: number): Promise<number> {
    let t = this.#blockTimes.get(blockNumber);
    if (!t) {
      t = this.#read('getBlock', async () => (await this.opts.provider.getBlock(blockNumber))?.timestamp ?? 0);
      this.#blockTimes.set(blockNumber, t);
      t.catch(() => this.#blockTimes.delete(blockNumber));
    }
    return t;
  }

  /** When the operator anchored a meter's day (in its region, or per meter); null when not yet. */
  async anchoredAt(meterId: string, day: number): Promise<number | null> {
    const region = String(await this.#read('meterRegion', () => this.#c.getFunction('meterRegion')(meterId)));
    const a =
      region !== ZeroHash
        ? await this.#read('regionAnchor', () => this.#c.getFunction('regionAnchor')(region, day))
        : await this.#read('operatorAnchor', () => this.#c.getFunction('operatorAnchor')(meterId, day));
    const at = n(a.anchoredAt);
    return at === 0 ? null : at;
  }

  /** The newest day the operator anchored for a meter (its region's, or its own); null when none. */
  async lastAnchoredDay(meterId: string): Promise<number | null> {
    const region = String(await this.#read('meterRegion', () => this.#c.getFunction('meterRegion')(meterId)));
    const filter = region !== ZeroHash ? this.#c.filters.RegionDayAnchored!(region) : this.#c.filters.DayAnchored!(meterId);
    const logs = await this.#read('getLogs', () => this.#c.queryFilter(filter, this.opts.fromBlock ?? 0));
    let last: number | null = null;
    for (const l of logs) {
      const day = n(this.iface.parseLog(l as Log)?.args.day ?? 0n);
      if (last === null || day > last) last = day;
    }
    return last;
  }

  /** An ERC-20's symbol and decimals as the token states them; throws MARKET_TOKEN_UNSUPPORTED when it does not answer as one. */
  async erc20(token: string): Promise<{ symbol: string; decimals: number }> {
    const code = await this.#read('getCode', () => this.opts.provider.getCode(token));
    if (code === '0x') throw new WattletError('MARKET_TOKEN_UNSUPPORTED', `No contract at ${token}`, { token, reason: 'no-contract' });
    const c = new Contract(token, ERC20_ABI, this.opts.provider);
    let symbol: string;
    let decimals: number;
    try {
      [symbol, decimals] = await Promise.all([c.getFunction('symbol')().then(String), c.getFunction('decimals')().then(Number)]);
    } catch (e) {
      throw new WattletError('MARKET_TOKEN_UNSUPPORTED', `${token} does not answer symbol() and decimals()`, { token, reason: 'not-erc20' }, { cause: e });
    }
    return { symbol, decimals };
  }

  /** `owner`'s balance of `token` (zero address: the chain's coin), in its smallest unit. */
  async balanceOf(token: string, owner: string): Promise<bigint> {
    if (/^0x0{40}$/i.test(token)) return this.#read('getBalance', () => this.opts.provider.getBalance(owner));
    const c = new Contract(token, ERC20_ABI, this.opts.provider);
    return BigInt(await this.#read('balanceOf', () => c.getFunction('balanceOf')(owner)));
  }

  /**
   * Signs and publishes an offer with one approval, and waits for the transaction. Nothing can be
   * simulated before: the publishing call needs the signature the approval makes.
   */
  async publish(signer: MarketSigner, offer: Offer, checks: readonly ApprovalCheck[]): Promise<{ receipt: TransactionReceipt; signature: string }> {
    const domain = await this.domain();
    let out: { signature: string; hash: string };
    try {
      out = await signer.publishOffer(domain, offerTypes(), offerValue(offer), checks);
    } catch (e) {
      throw toMarketError(e, 'publishOffer');
    }
    return { receipt: await this.#receipt(out.hash, 'publishOffer'), signature: out.signature };
  }

  /** Sends calls approved together, in order; answers the last one's receipt. */
  async sendCalls(signer: MarketSigner, calls: readonly MarketCall[], checks: readonly ApprovalCheck[], action: string): Promise<TransactionReceipt> {
    let hashes: string[];
    try {
      ({ hashes } = await signer.sendCalls(calls, checks));
    } catch (e) {
      throw toMarketError(e, action);
    }
    return this.#receipt(hashes[hashes.length - 1]!, action);
  }

  /** `data` of a call of this contract. */
  encode(fn: string, args: readonly unknown[]): string {
    return this.iface.encodeFunctionData(fn, args);
  }

  /** `data` of ERC-20 approve(market, amount). */
  approveData(amount: bigint): string {
    return erc20Iface.encodeFunctionData('approve', [this.opts.address, amount]);
  }

  /** Reverts a call would make now (eth_call from `from`), as MARKET_* errors; nothing is sent. */
  async simulate(from: string, fn: string, args: readonly unknown[], value = 0n): Promise<void> {
    try {
      await this.opts.provider.call({ to: this.opts.address, data: this.iface.encodeFunctionData(fn, args), value, from });
    } catch (e) {
      throw toMarketError(e, fn);
    }
  }

  async #receipt(hash: string, fn: string): Promise<TransactionReceipt> {
    const receipt = await this.#read('waitForTransaction', () => this.opts.provider.waitForTransaction(hash));
    if (!receipt || receipt.status !== 1) {
      throw new WattletError('MARKET_TX_FAILED', `${fn}: transaction ${hash} reverted`, { action: fn, txHash: hash, reason: 'reverted' });
    }
    return receipt;
  }

  /** Offer hashes a buyer filled (OfferFilled is indexed by buyer). */
  async purchasedOfferHashes(buyer: string): Promise<string[]> {
    const logs = await this.#read('getLogs', () => this.#c.queryFilter(this.#c.filters.OfferFilled(null, buyer), this.opts.fromBlock ?? 0));
    return [...new Set(logs.map((l) => String(this.iface.parseLog(l as Log)?.args.offerHash)))];
  }

  async record(offerHash: string): Promise<OfferRecord> {
    const r = await this.#read('offerRecord', () => this.#c.getFunction('offerRecord')(offerHash));
    return {
      seller: String(r.seller), energyWh: n(r.energyWh), token: String(r.token), filledWh: n(r.filledWh),
      deliveryStart: n(r.deliveryStart), deliveryEnd: n(r.deliveryEnd), expiry: n(r.expiry), provenWh: n(r.provenWh),
      meterId: String(r.meterId), pricePerKWh: BigInt(r.pricePerKWh), escrow: BigInt(r.escrow), sellerPaid: BigInt(r.sellerPaid),
      cancelled: Boolean(r.cancelled), settled: Boolean(r.settled), minFillWh: n(r.minFillWh),
    };
  }

  async fills(offerHash: string): Promise<FillInfo[]> {
    const buyers = (await this.#read('buyersOf', () => this.#c.getFunction('buyersOf')(offerHash))) as string[];
    return Promise.all(buyers.map((b) => this.fillOf(offerHash, b)));
  }

  async fillOf(offerHash: string, buyer: string): Promise<FillInfo> {
    const f = await this.#read('fillOf', () => this.#c.getFunction('fillOf')(offerHash, buyer));
    return { buyer: String(buyer), energyWh: n(f.energyWh), paid: BigInt(f.paid), reclaimed: Boolean(f.reclaimed) };
  }

  /**
   * Where the operator anchored a meter's day: in the meter's registered region (the region-day
   * root) or per meter; null when the day is not anchored.
   */
  async dayAnchor(meterId: string, day: number): Promise<DayAnchorRef | null> {
    const region = String(await this.#read('meterRegion', () => this.#c.getFunction('meterRegion')(meterId)));
    if (region !== ZeroHash) {
      const r = await this.#read('regionAnchor', () => this.#c.getFunction('regionAnchor')(region, day));
      return String(r.root) === ZeroHash ? null : { regionId: region, root: String(r.root) };
    }
    const a = await this.#read('operatorAnchor', () => this.#c.getFunction('operatorAnchor')(meterId, day));
    return String(a.root) === ZeroHash ? null : { regionId: null, root: String(a.root) };
  }

  async meterOwner(meterId: string): Promise<string> {
    return String(await this.#read('meterOwner', () => this.#c.getFunction('meterOwner')(meterId)));
  }

  /** Sum of the operator's anchored daily export for a meter (DayAnchored events). */
  async anchoredExportWh(meterId: string): Promise<number> {
    const logs = await this.#read('getLogs', () => this.#c.queryFilter(this.#c.filters.DayAnchored(meterId), this.opts.fromBlock ?? 0));
    return logs.reduce((s, l) => s + n(this.iface.parseLog(l as Log)?.args.exportWh ?? 0n), 0);
  }

  get address(): string {
    return this.opts.address;
  }

  /** The buyer's ERC-20 allowance to the market (token offers are paid by transferFrom). */
  async allowance(token: string, owner: string): Promise<bigint> {
    const c = new Contract(token, ERC20_ABI, this.opts.provider);
    return BigInt(await this.#read('allowance', () => c.getFunction('allowance')(owner, this.opts.address)));
  }

  /** Lets the market take `amount` of `token` from the signer (ERC-20 approve), after the person approves. */
  async approveToken(signer: MarketSigner, token: string, amount: bigint): Promise<TransactionReceipt> {
    return this.#sendTo(signer, token, erc20Iface.encodeFunctionData('approve', [this.opts.address, amount]), 0n, 'approve');
  }

  /** Simulates, then sends through the signer and waits for the receipt; reverts become MARKET_* errors. */
  async send(signer: MarketSigner, fn: string, args: readonly unknown[], value = 0n): Promise<TransactionReceipt> {
    return this.#sendTo(signer, this.opts.address, this.iface.encodeFunctionData(fn, args), value, fn);
  }

  async #sendTo(signer: MarketSigner, to: string, data: string, value: bigint, fn: string): Promise<TransactionReceipt> {
    const from = await signer.getAddress();
    const tx = { to, data, value };
    try {
      await this.opts.provider.call({ ...tx, from });
    } catch (e) {
      throw toMarketError(e, fn);
    }
    let hash: string;
    try {
      hash = (await signer.sendTransaction(tx)).hash;
    } catch (e) {
      throw toMarketError(e, fn);
    }
    return this.#receipt(hash, fn);
  }

  /** The first event of `name` in a receipt, from this contract. */
  eventIn(receipt: TransactionReceipt, name: string): Record<string, unknown> | null {
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== this.opts.address.toLowerCase()) continue;
      const ev = this.iface.parseLog(log);
      if (ev?.name === name) return ev.args.toObject();
    }
    return null;
  }

  async #read<T>(method: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      throw toMarketError(e, method);
    }
  }
}
