import { Contract, Interface, ZeroHash, type Log, type Provider, type TransactionReceipt } from 'ethers';
import { WattletError } from '../api/errors.js';
import { ENERGY_MARKET_ABI } from './market-abi.js';
import { toMarketError } from './chain-errors.js';
import { marketDomain, type MarketDomain, type Offer } from './offer.js';
import type { MarketSigner } from './market-signer.js';
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
}

export interface PublishedOffer {
  readonly offerHash: string;
  readonly offer: Offer;
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

const ERC20_ABI = ['function allowance(address owner, address spender) view returns (uint256)', 'function approve(address spender, uint256 amount) returns (bool)'];
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
        offer: {
          seller: String(a.seller), meterId: String(a.meterId), energyWh: n(a.energyWh), pricePerKWh: BigInt(a.pricePerKWh),
          token: String(a.token), deliveryStart: n(a.deliveryStart), deliveryEnd: n(a.deliveryEnd), expiry: n(a.expiry), nonce: BigInt(a.nonce),
        },
      };
    });
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
      cancelled: Boolean(r.cancelled), settled: Boolean(r.settled),
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
    const receipt = await this.#read('waitForTransaction', () => this.opts.provider.waitForTransaction(hash));
    if (!receipt || receipt.status !== 1) {
      throw new WattletError('MARKET_TX_FAILED', `${fn}: transaction ${hash} reverted`, { action: fn, txHash: hash, reason: 'reverted' });
    }
    return receipt;
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
