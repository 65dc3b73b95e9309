import type { DayReportDto, DayStatus, HandedEvidence, LedgerStatus, RangeSummary } from '../api/ledger.js';
import type { PayloadOf } from '../api/contract.js';
import { WattletError } from '../api/errors.js';
import { attestDay, type AttestationResult } from './attest/attestation.js';
import type { TransactionSender } from './attest/transaction-sender.js';
import { energyLedgerInterface } from './chain/ledger-contract.js';
import { dayOf, formatDay, parseDay } from './day.js';
import type { HandoverSource } from './operator/demo-operator.js';
import type { ReadingSource } from './operator/reading-source.js';
import { fetchDayEvidence, readChainHead, type ChainHead } from './rpc/day-evidence.js';
import { httpTransport, type JsonRpcTransport } from './rpc/json-rpc.js';
import type { CheckpointDto } from '../api/ledger.js';
import type { CheckpointStore } from './checkpoint/checkpoint-store.js';
import { parseCheckpointText } from './checkpoint/checkpoint-text.js';
import { fetchHeaderChain } from './checkpoint/fetch-header-chain.js';
import { HeaderChainMemo, MAX_HEADER_CHAIN, type HeaderChainEvidence, type PinnedCheckpoint } from './verify/header-chain.js';
import { verifyHeaderHash } from './verify/header-hash.js';
import type { DayEvidence } from './verify/verify-day.js';
import type { RegionPath } from './tree/region-path.js';
import { disputePackBody, intervalProof as intervalProofOf, type GatheredDay } from './dispute/build-pack.js';
import { packDigest } from './dispute/canonical-json.js';
import { DISPUTE_PACK_FORMAT, type DisputePack, type IntervalProof } from './dispute/pack-format.js';
import type { PackSigner } from './dispute/pack-signer.js';
import { packStatement } from './dispute/pack-statement.js';
import { verifyDisputePack } from './dispute/verify-pack.js';
import { ownerSlot } from './verify/anchor-slots.js';
import { compareReadings } from './verify/compare-readings.js';
import type { DayReport } from './verify/report.js';
import { toProvenIntervals, verifyDay, type VerifyDayInput } from './verify/verify-day.js';

/** Where the ledger is: from Settings (live) or from the local chain (demo). Read on every call. */
export interface LedgerEndpoint {
  readonly rpcUrl: string | null;
  readonly contract: string | null;
  /** A second, independent endpoint whose block B must agree (check 3). */
  readonly secondRpcUrl?: string | null;
  /** The contract's deployment block: where the day list's event scan starts (default 0). */
  readonly fromBlock?: number;
}

export interface LedgerServiceDeps {
  /** Read on every call when a function: Settings may name a live endpoint after the start (demo mode's chain, then a real one). */
  readonly mode: 'demo' | 'live' | (() => 'demo' | 'live');
  readonly endpoint: () => LedgerEndpoint;
  /** The household's meter (bytes32 id, see chain/meter-id.ts). */
  readonly meterId: string;
  /** My meter's intervals (the history store). */
  readonly local: ReadingSource;
  /** The operator's intervals with salts (file folder, operator API, or the demo operator). */
  readonly handovers: HandoverSource;
  /** The wallet, for attestations; absent when no wallet is unlocked/configured. */
  readonly sender?: TransactionSender;
  readonly emit?: <E extends 'ledger.verifyProgress' | 'ledger.statusChanged'>(event: E, payload: PayloadOf<E>) => void;
  readonly minDepth?: number;
  readonly resolutionWh?: bigint;
  readonly transport?: (url: string) => JsonRpcTransport;
  readonly now?: () => number;
  /** The household's pinned checkpoint (checkpoint/): verification links block B to it by parent hashes. */
  readonly checkpoints?: CheckpointStore;
  /** Headers fetched between B and the checkpoint at most (default MAX_HEADER_CHAIN). */
  readonly maxHeaderChain?: number;
  /** Signs dispute packs with the household's key after a person approves (the wallet); without one, LEDGER_NO_SIGNER. */
  readonly packSigner?: PackSigner;
  /**
   * TEST ONLY: the tamper e2e's lying main (test/e2e/ledger-tamper.spec.ts). Rewrites the
   * evidence handed to the window after main verified the true one, so main reports "verified"
   * while the window gets altered bytes. createLedger (the app's one wiring) never passes it and
   * no channel or setting reaches it; test/security/ledger-evidence-channel.test.ts holds that no
   * file outside the tests names it.
   */
  readonly tamperEvidence?: (handed: HandedEvidence) => HandedEvidence;
}

/** What main verified a day (or an interval) on, kept so the window can re-verify the same bytes. */
interface VerifiedInput {
  readonly input: VerifyDayInput;
  readonly report: DayReport;
  readonly url: string;
}

/** Days of evidence kept for the window: a year and a bit (a range verification), then the oldest go. */
const EVIDENCE_KEPT = 400;

/** What block B's hash rests on: the pinned checkpoint when B was linked to it, else the endpoint(s). */
function trustOf(report: DayReport, hosts: string[]): HandedEvidence['trust'] {
  const linked = report.checkpoint && report.steps.some((s) => s.id === 'checkpoint' && s.status === 'pass');
  if (linked) return { kind: 'checkpoint', hosts, text: report.checkpoint!.source.label || null };
  return { kind: hosts.length > 1 ? 'two-endpoints' : 'one-endpoint', hosts, text: null };
}

/** A URL's host only: the evidence names which endpoint answered, never its path or key. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'endpoint';
  }
}

const DAY_ANCHORED = energyLedgerInterface.getEvent('DayAnchored')!.topicHash;
const DAY_ATTESTED = energyLedgerInterface.getEvent('DayAttested')!.topicHash;
const REGION_DAY_ANCHORED = energyLedgerInterface.getEvent('RegionDayAnchored')!.topicHash;
const NO_REGION = '0x' + '00'.repeat(32);

/** A day's anchor as its event listed it; `block`: the block the event is in (when the anchor was written). */
type AnchoredDay = { root: string; importWh: bigint; exportWh: bigint; block?: number };

/** Anchors looked at for the operator's usual time: the newest week's. */
const USUAL_ANCHORS = 7;

/** The day's anchor proven absent in this evidence (its storage proof alone: no files needed). */
async function anchorAbsent(meterId: string, day: number, evidence: DayEvidence, region: RegionPath | null): Promise<boolean> {
  const r = await verifyDay({ meterId, day, evidence: { ...evidence, chain: null }, handover: null, region, local: null, minDepth: 0, resolutionWh: 1n });
  return r.steps.some((s) => s.id === 'anchor' && s.code === 'LEDGER_NO_ANCHOR');
}

function badDate(text: string): never {
  throw new WattletError('REQUEST_INVALID', `Not a date: ${text}`, { path: 'date', problem: text });
}

/**
 * The ledger as the household sees it: which days the operator anchored, how each verifies, and
 * the household's own attestations. Holds no chain state beyond a cache of reports.
 */
export class LedgerService {
  readonly #reports = new Map<number, DayReport>();
  readonly #inputs = new Map<string, VerifiedInput>();
  /** Anchor blocks' timestamps (a block's time never changes). */
  readonly #blockTimes = new Map<number, number>();
  readonly #jobs = new Map<string, { cancelled: boolean }>();
  /** Header chains fetched, by checkpoint and B (a range verification shares one B): the newest few. */
  readonly #chains = new Map<string, HeaderChainEvidence>();
  /** … and checked once for all the days verified at the same B. */
  readonly #headerChains = new HeaderChainMemo();
  readonly #resolutionWh: bigint;
  #disposed = false;

  constructor(private readonly deps: LedgerServiceDeps) {
    this.#resolutionWh = deps.resolutionWh ?? 1n;
  }

  #mode(): 'demo' | 'live' {
    return typeof this.deps.mode === 'function' ? this.deps.mode() : this.deps.mode;
  }

  /** Blocks a day's anchor must be under: none on demo mode's local chain, 12 on a live one. */
  #minDepth(): number {
    return this.deps.minDepth ?? (this.#mode() === 'demo' ? 0 : 12);
  }

  #connection(): { rpc: JsonRpcTransport; contract: string; url: string; second?: { url: string; rpc: JsonRpcTransport } } {
    const e = this.deps.endpoint();
    if (!e.rpcUrl || !e.contract) {
      throw new WattletError('LEDGER_NOT_CONFIGURED', 'No ledger endpoint or contract address is configured', {});
    }
    const make = this.deps.transport ?? ((url: string) => httpTransport(url));
    return {
      rpc: make(e.rpcUrl),
      contract: e.contract,
      url: e.rpcUrl,
      ...(e.secondRpcUrl ? { second: { url: e.secondRpcUrl, rpc: make(e.secondRpcUrl) } } : {}),
    };
  }

  async status(): Promise<LedgerStatus> {
    const e = this.deps.endpoint();
    const base = {
      mode: this.#mode(),
      rpcUrl: e.rpcUrl,
      contract: e.contract,
      meterId: this.deps.meterId,
      minDepth: this.#minDepth(),
    };
    if (!e.rpcUrl || !e.contract) {
      return { ...base, state: 'not-configured', chainId: null, head: null, owner: null, error: null };
    }
    try {
      const { rpc, contract } = this.#connection();
      const head = await readChainHead(rpc);
      const code = (await rpc.request('eth_getCode', [contract, 'latest'])) as string;
      if (code === '0x') {
        const err = new WattletError('LEDGER_CONTRACT_MISSING', `No contract at ${contract}`, { contract });
        return { ...base, state: 'unreachable', chainId: head.chainId, head: head.head, owner: null, error: err.toJSON() };
      }
      const ownerData = (await rpc.request('eth_call', [{ to: contract, data: energyLedgerInterface.encodeFunctionData('meterOwner', [this.deps.meterId]) }, 'latest'])) as string;
      const owner = energyLedgerInterface.decodeFunctionResult('meterOwner', ownerData)[0] as string;
      return { ...base, state: 'connected', chainId: head.chainId, head: head.head, owner: /^0x0{40}$/.test(owner) ? null : owner, error: null };
    } catch (e) {
      if (!(e instanceof WattletError)) throw e;
      return { ...base, state: 'unreachable', chainId: null, head: null, owner: null, error: e.toJSON() };
    }
  }

  async #logs(rpc: JsonRpcTransport, contract: string, topic: string, id: string = this.deps.meterId): Promise<Map<number, AnchoredDay>> {
    // Events filtered by meter (or region) id, an indexed topic, from the contract's deployment
    // block. Logs only list days; every value shown as verified comes from the proofs, never from a log.
    const fromBlock = '0x' + (this.deps.endpoint().fromBlock ?? 0).toString(16);
    const logs = (await rpc.request('eth_getLogs', [{ address: contract, fromBlock, toBlock: 'latest', topics: [topic, id] }])) as Array<{ topics: string[]; data: string; blockNumber?: string }>;
    const out = new Map<number, AnchoredDay>();
    for (const log of logs) {
      const parsed = energyLedgerInterface.parseLog(log);
      if (!parsed) continue;
      out.set(Number(parsed.args.getValue('day')), {
        root: String(parsed.args.getValue('root')).toLowerCase(),
        importWh: BigInt(parsed.args.getValue('importWh')),
        exportWh: BigInt(parsed.args.getValue('exportWh')),
        ...(typeof log.blockNumber === 'string' && /^0x[0-9a-f]+$/i.test(log.blockNumber) ? { block: Number(BigInt(log.blockNumber)) } : {}),
      });
    }
    return out;
  }

  /** The region the meter is registered in now (the list's hint only: each day's proof proves its own). */
  async #region(rpc: JsonRpcTransport, contract: string): Promise<string | null> {
    const data = (await rpc.request('eth_call', [{ to: contract, data: energyLedgerInterface.encodeFunctionData('meterRegion', [this.deps.meterId]) }, 'latest'])) as string;
    const region = String(energyLedgerInterface.decodeFunctionResult('meterRegion', data)[0]).toLowerCase();
    return region === NO_REGION ? null : region;
  }

  /**
   * The days the operator anchored for my meter: its own anchors (per-meter design) and its
   * region's (region design). A region-day's root and totals are the region's; what the list
   * shows is my meter's day from the operator's region path, when it was handed over.
   */
  async #anchored(rpc: JsonRpcTransport, contract: string, days: readonly number[]): Promise<Map<number, AnchoredDay | null>> {
    const region = await this.#region(rpc, contract);
    const [own, regional] = await Promise.all([this.#logs(rpc, contract, DAY_ANCHORED), region ? this.#logs(rpc, contract, REGION_DAY_ANCHORED, region) : new Map<number, AnchoredDay>()]);
    const out = new Map<number, AnchoredDay | null>();
    for (const day of days) {
      const mine = own.get(day);
      if (mine) out.set(day, mine);
      else if (regional.has(day)) {
        const p = await this.deps.handovers.regionPath(this.deps.meterId, day);
        const block = regional.get(day)?.block;
        out.set(day, p && p.day === day ? { root: p.meterDayRoot.toLowerCase(), importWh: BigInt(p.importWh), exportWh: BigInt(p.exportWh), ...(block !== undefined ? { block } : {}) } : null);
      }
    }
    return out;
  }

  /**
   * How long after a day ends the operator usually anchors it: the median over the newest anchors
   * of the range (the blocks' timestamps), so a day not on the ledger yet can say by when it
   * usually is. Null when no anchor's time is known. Only a hint for the words on the page.
   */
  async #usualAnchorDelay(rpc: JsonRpcTransport, anchored: Map<number, AnchoredDay | null>): Promise<number | null> {
    const newest = [...anchored.entries()]
      .filter((e): e is [number, AnchoredDay & { block: number }] => e[1]?.block !== undefined)
      .sort((a, b) => b[0] - a[0])
      .slice(0, USUAL_ANCHORS);
    const delays: number[] = [];
    for (const [day, a] of newest) {
      let ts = this.#blockTimes.get(a.block);
      if (ts === undefined) {
        const block = (await rpc.request('eth_getBlockByNumber', ['0x' + a.block.toString(16), false])) as { timestamp?: unknown } | null;
        if (!block || typeof block.timestamp !== 'string' || !/^0x[0-9a-f]+$/i.test(block.timestamp)) continue;
        ts = Number(BigInt(block.timestamp));
        this.#blockTimes.set(a.block, ts);
      }
      delays.push(ts - (day + 1) * 86_400);
    }
    if (!delays.length) return null;
    delays.sort((x, y) => x - y);
    return Math.max(0, delays[Math.floor(delays.length / 2)]!);
  }

  #range(from: string, to: string): number[] {
    const a = parseDay(from) ?? badDate(from);
    const b = parseDay(to) ?? badDate(to);
    if (b < a || b - a > 366) throw new WattletError('REQUEST_INVALID', 'A range is 1 to 367 days, from ≤ to', { path: 'to', problem: 'range' });
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  }

  #statusOf(report: DayReport): DayStatus['status'] {
    if (report.ok) return 'verified';
    const failed = report.steps.filter((s) => s.status === 'fail');
    if (failed.some((s) => s.code === 'LEDGER_NO_ANCHOR')) return 'missing';
    if (failed.length === 1 && failed[0]!.id === 'readings') return 'differs';
    if (failed.length === 0) return 'pending';
    return 'failed';
  }

  async days(from: string, to: string): Promise<{ meterId: string; days: DayStatus[]; usualAnchorDelay: number | null }> {
    const { rpc, contract } = this.#connection();
    const range = this.#range(from, to);
    const [anchored, attested] = await Promise.all([this.#anchored(rpc, contract, range), this.#logs(rpc, contract, DAY_ATTESTED)]);
    const today = dayOf((this.deps.now?.() ?? Date.now()) / 1000);
    const days: DayStatus[] = [];
    for (const day of range) {
      const isAnchored = anchored.has(day);
      const a = anchored.get(day) ?? undefined;
      let status: DayStatus['status'];
      const report = this.#reports.get(day);
      // An anchor newer than the block B it was verified at is not missing, only not final yet.
      if (report) status = this.#statusOf(report) === 'missing' && isAnchored ? 'pending' : this.#statusOf(report);
      else if (!isAnchored) status = day < today ? 'missing' : 'pending';
      else {
        // Not verified yet: still say at once whether my meter agrees with the operator's file.
        const [h, local] = await Promise.all([this.deps.handovers.handover(this.deps.meterId, day), this.deps.local.intervals(this.deps.meterId, day)]);
        const differs = h && local.length > 0 && compareReadings(local, toProvenIntervals(h), this.#resolutionWh).some((c) => !c.ok);
        status = differs ? 'differs' : 'pending';
      }
      days.push({
        day,
        date: formatDay(day),
        status,
        root: a?.root ?? null,
        importWh: a ? a.importWh.toString() : null,
        exportWh: a ? a.exportWh.toString() : null,
        attested: attested.has(day),
      });
    }
    return { meterId: this.deps.meterId, days, usualAnchorDelay: await this.#usualAnchorDelay(rpc, anchored) };
  }

  async #verify(day: number, interval: number | undefined, chain?: ChainHead): Promise<DayReport> {
    const c = this.#connection();
    const { evidence, handover, region, local } = await this.#gather(day, chain);
    const report = await verifyDay({
      meterId: this.deps.meterId,
      day,
      evidence,
      handover,
      region,
      local,
      headerChains: this.#headerChains,
      minDepth: this.#minDepth(),
      resolutionWh: this.#resolutionWh,
      ...(interval !== undefined ? { interval } : {}),
    });
    if (interval === undefined) this.#reports.set(day, report);
    const key = `${day}:${interval ?? ''}`;
    this.#inputs.delete(key);
    this.#inputs.set(key, { input: { meterId: this.deps.meterId, day, evidence, handover, region, local, minDepth: this.#minDepth(), resolutionWh: this.#resolutionWh, ...(interval !== undefined ? { interval } : {}) }, report, url: c.url });
    if (this.#inputs.size > EVIDENCE_KEPT) this.#inputs.delete(this.#inputs.keys().next().value!);
    return report;
  }

  /**
   * The evidence main verified each day on (verifying the day first when it has not), for the
   * window to re-verify: raw answers, the operator's files, my meter's intervals and main's
   * report. Only the household's own meter: nothing another meter's salt or values.
   */
  async evidence(dates: readonly string[], interval?: number): Promise<HandedEvidence[]> {
    const out: HandedEvidence[] = [];
    for (const date of dates) {
      const day = parseDay(date) ?? badDate(date);
      const key = `${day}:${interval ?? ''}`;
      if (!this.#inputs.has(key)) await this.#verify(day, interval);
      const { input, report, url } = this.#inputs.get(key)!;
      const second = input.evidence.second;
      const handed: HandedEvidence = {
        meterId: input.meterId,
        date: formatDay(day),
        interval: interval ?? null,
        evidence: { ...input.evidence, ...(second ? { second: { url: hostOf(second.url), blockHash: second.blockHash } } : {}) },
        handover: input.handover,
        regionPath: input.region ?? null,
        local: input.local ? input.local.map((l) => ({ start: l.start, seconds: l.seconds, importWh: l.importWh.toString(), exportWh: l.exportWh.toString() })) : null,
        minDepth: input.minDepth,
        resolutionWh: input.resolutionWh.toString(),
        trust: trustOf(report, second ? [hostOf(url), hostOf(second.url)] : [hostOf(url)]),
        report,
      };
      out.push(this.deps.tamperEvidence ? this.deps.tamperEvidence(handed) : handed);
    }
    return out;
  }

  /**
   * Block B for a verification: head − minDepth as always; but where a checkpoint is pinned that
   * lies further below B than the headers fetched, the checkpoint block itself (the chain is
   * then empty: B is the checkpoint), so a checkpoint from last month's bill still serves.
   */
  async #blockFor(rpc: JsonRpcTransport, chain: ChainHead | undefined): Promise<{ chain?: ChainHead; blockNumber?: number; checkpoint: PinnedCheckpoint | null }> {
    const checkpoint = (await this.deps.checkpoints?.current()) ?? null;
    if (!checkpoint) return { ...(chain ? { chain } : {}), checkpoint };
    const head = chain ?? (await readChainHead(rpc));
    const b = Math.max(0, head.head - this.#minDepth());
    const max = this.deps.maxHeaderChain ?? MAX_HEADER_CHAIN;
    if (checkpoint.number <= b && b - checkpoint.number > max) return { chain: head, blockNumber: checkpoint.number, checkpoint };
    return { chain: head, checkpoint };
  }

  /** The headers between B and the pinned checkpoint, for the verifier's checkpoint step. */
  async #withCheckpoint(rpc: JsonRpcTransport, evidence: DayEvidence, checkpoint: PinnedCheckpoint | null): Promise<DayEvidence> {
    if (!checkpoint) return evidence;
    const key = `${checkpoint.number}:${checkpoint.hash}:${evidence.blockNumber}`;
    const kept = this.#chains.get(key);
    if (kept) return { ...evidence, chain: kept };
    try {
      const chain = await fetchHeaderChain({ rpc, blockNumber: evidence.blockNumber, checkpoint, max: this.deps.maxHeaderChain ?? MAX_HEADER_CHAIN });
      this.#chains.set(key, chain);
      if (this.#chains.size > 4) this.#chains.delete(this.#chains.keys().next().value!);
      return { ...evidence, chain };
    } catch (e) {
      if (!(e instanceof WattletError) || !['LEDGER_HEADER_CHAIN_TOO_LONG', 'LEDGER_CHECKPOINT_MISMATCH'].includes(e.code)) throw e;
      return { ...evidence, chainUnavailable: { code: e.code, message: e.message } };
    }
  }

  /** The pinned checkpoint, and whether the ledger endpoint has the same block (unknown when it cannot be asked). */
  async checkpoint(): Promise<{ checkpoint: CheckpointDto | null; endpoint: 'agrees' | 'differs' | 'unknown' }> {
    const checkpoint = (await this.deps.checkpoints?.current()) ?? null;
    return { checkpoint, endpoint: checkpoint ? await this.#endpointAgrees(checkpoint) : 'unknown' };
  }

  async #endpointAgrees(c: PinnedCheckpoint): Promise<'agrees' | 'differs' | 'unknown'> {
    try {
      const { rpc } = this.#connection();
      const [chainId, block] = await Promise.all([rpc.request('eth_chainId', []), rpc.request('eth_getBlockByNumber', ['0x' + c.number.toString(16), false])]);
      if (c.chainId !== null && typeof chainId === 'string' && Number(BigInt(chainId)) !== c.chainId) return 'differs';
      if (!block || typeof block !== 'object') return 'differs';
      const hashed = verifyHeaderHash(block as Record<string, unknown>);
      return hashed.ok && hashed.computedHash === c.hash ? 'agrees' : 'differs';
    } catch (e) {
      if (e instanceof WattletError) return 'unknown';
      throw e;
    }
  }

  /**
   * Pins a checkpoint from the household's second source: a line typed from the bill, a
   * checkpoint file's text, or a second endpoint's block (its header re-hashed here; only the
   * endpoint's host is kept, as a URL may carry an API key).
   */
  async pinCheckpoint(
    req: { kind: 'bill' | 'file'; text: string; label: string } | { kind: 'rpc'; url: string; number?: number | undefined },
  ): Promise<{ checkpoint: CheckpointDto; endpoint: 'agrees' | 'differs' | 'unknown' }> {
    if (!this.deps.checkpoints) throw new WattletError('NOT_AVAILABLE', 'No checkpoint store in this host', { channel: 'ledger.pinCheckpoint' });
    const pinnedAt = formatDay(dayOf((this.deps.now?.() ?? Date.now()) / 1000));
    let pinned: PinnedCheckpoint;
    if (req.kind === 'rpc') {
      const make = this.deps.transport ?? ((url: string) => httpTransport(url));
      const rpc = make(req.url);
      const head = await readChainHead(rpc);
      const n = req.number ?? head.head;
      const block = await rpc.request('eth_getBlockByNumber', ['0x' + n.toString(16), false]);
      if (!block || typeof block !== 'object') throw new WattletError('LEDGER_CHECKPOINT_INVALID', `${new URL(req.url).host} has no block ${n}`, { problem: 'no-block', block: n });
      const hashed = verifyHeaderHash(block as Record<string, unknown>);
      if (!hashed.ok) throw new WattletError('LEDGER_CHECKPOINT_INVALID', `${new URL(req.url).host}'s block ${n} does not hash to its hash`, { problem: 'bad-header', block: n });
      pinned = { chainId: head.chainId, number: n, hash: hashed.computedHash, pinnedAt, source: { kind: 'rpc', label: new URL(req.url).host } };
    } else {
      const t = parseCheckpointText(req.text);
      pinned = { chainId: t.chainId, number: t.number, hash: t.hash, pinnedAt, source: { kind: req.kind, label: req.label.trim() } };
    }
    const checkpoint = await this.deps.checkpoints.pin(pinned);
    this.#forgetVerified();
    return { checkpoint, endpoint: await this.#endpointAgrees(checkpoint) };
  }

  async clearCheckpoint(): Promise<{ cleared: boolean }> {
    const cleared = (await this.deps.checkpoints?.clear()) ?? false;
    this.#forgetVerified();
    return { cleared };
  }

  /** A verdict rests on the checkpoint in force when it was made: another one means verifying again (reports, the window's evidence). */
  #forgetVerified(): void {
    this.#chains.clear();
    this.#reports.clear();
    this.#inputs.clear();
  }

  /**
   * Everything a day is verified on, fetched afresh at one block B (with the headers to the
   * checkpoint): the region path first, as it names the region whose anchor the evidence must
   * prove. Where the checkpoint lies too far below the head to link and so serves as B itself, a
   * day anchored after it (its anchor proven absent there) is verified at the usual B instead,
   * its checkpoint step failing LEDGER_HEADER_CHAIN_TOO_LONG: never reported missing for it.
   */
  async #gather(day: number, chain?: ChainHead): Promise<GatheredDay & { rpc: JsonRpcTransport }> {
    const c = this.#connection();
    const region = await this.deps.handovers.regionPath(this.deps.meterId, day);
    const at = await this.#blockFor(c.rpc, chain);
    const fetchAt = (blockNumber: number | undefined) =>
      fetchDayEvidence({
        rpc: c.rpc,
        contract: c.contract,
        meterId: this.deps.meterId,
        day,
        minDepth: this.#minDepth(),
        ...(at.chain ? { chain: at.chain } : {}),
        ...(blockNumber !== undefined ? { blockNumber } : {}),
        ...(c.second ? { second: c.second } : {}),
        ...(region ? { regionId: region.regionId } : {}),
      });
    const [fetched, handover, local] = await Promise.all([
      fetchAt(at.blockNumber),
      this.deps.handovers.handover(this.deps.meterId, day),
      this.deps.local.intervals(this.deps.meterId, day),
    ]);
    let evidence = await this.#withCheckpoint(c.rpc, fetched, at.checkpoint);
    if (at.blockNumber !== undefined && at.checkpoint && (await anchorAbsent(this.deps.meterId, day, evidence, region))) {
      const later = await fetchAt(undefined);
      const far = later.blockNumber - at.checkpoint.number;
      evidence = {
        ...later,
        chainUnavailable: {
          code: 'LEDGER_HEADER_CHAIN_TOO_LONG',
          message: `Anchored after the checkpoint, which is ${far} blocks below block B; at most ${this.deps.maxHeaderChain ?? MAX_HEADER_CHAIN} headers are fetched: pin a newer checkpoint`,
        },
      };
    }
    return { rpc: c.rpc, meterId: this.deps.meterId, day, evidence, handover, region, local: local.length ? local : null, minDepth: this.#minDepth(), resolutionWh: this.#resolutionWh };
  }

  #createdAt(): string {
    return new Date(this.deps.now?.() ?? Date.now()).toISOString();
  }

  /**
   * A day's dispute pack (dispute/): my readings, the operator's leaves with salts and proofs,
   * the endpoint's proofs at B (with the meter's owner), the headers to my checkpoint, and my
   * signature over all of it — asked of the wallet, which shows the statement on the approval
   * surface and signs only once a person approves there. The verdict is the one any reader
   * re-derives from the file (verifyDisputePack), never a claim stored in it.
   */
  async disputePack(date: string): Promise<{ fileName: string; text: string; signer: string; verdict: 'agrees' | 'differs' | 'no-readings'; anchored: boolean; refusedAt: string | null }> {
    const day = parseDay(date) ?? badDate(date);
    if (!this.deps.packSigner) throw new WattletError('LEDGER_NO_SIGNER', 'No wallet is available to sign the dispute pack', {});
    const g = await this.#gather(day);
    const ownerProof = await g.rpc.request('eth_getProof', [g.evidence.contract, [ownerSlot(this.deps.meterId)], '0x' + g.evidence.blockNumber.toString(16)]);
    const body = disputePackBody(g, ownerProof, this.#createdAt());
    const statement = packStatement(body, packDigest(body));
    const signer = await this.deps.packSigner.address();
    const signature = await this.deps.packSigner.signMessage(statement);
    const pack: DisputePack = { format: DISPUTE_PACK_FORMAT, body, signature: { signer, statement, signature } };
    const text = JSON.stringify(pack, null, 1) + '\n';
    // The verdict any reader derives from the file, derived here the same way from its own text.
    const report = await verifyDisputePack(JSON.parse(text));
    return { fileName: `wattlet-dispute-${formatDay(day)}.json`, text, signer, verdict: report.verdict ?? 'no-readings', anchored: report.anchored ?? true, refusedAt: report.refusedAt };
  }

  /** One quarter-hour disclosed with its salt and paths up to the anchor, the storage proof and header(s): nothing else of the day. */
  async intervalProof(date: string, index: number): Promise<{ fileName: string; text: string }> {
    const day = parseDay(date) ?? badDate(date);
    const g = await this.#gather(day);
    if (!g.handover) throw new WattletError('LEDGER_NO_INTERVALS', `The operator has not handed over the intervals of ${formatDay(day)}`, { date: formatDay(day) });
    if (!g.handover.intervals[index]) throw new WattletError('REQUEST_INVALID', `The operator's file has no interval ${index}`, { path: 'index', problem: String(index) });
    const proof: IntervalProof = intervalProofOf(g, g.handover, index, this.#createdAt());
    return { fileName: `wattlet-interval-${formatDay(day)}-${String(index).padStart(2, '0')}.json`, text: JSON.stringify(proof, null, 1) + '\n' };
  }

  async verifyDay(date: string): Promise<DayReportDto> {
    return this.#verify(parseDay(date) ?? badDate(date), undefined);
  }

  async verifyInterval(date: string, index: number): Promise<DayReportDto> {
    return this.#verify(parseDay(date) ?? badDate(date), index);
  }

  /** A year at most; one chain head for the whole run, so every day is checked at the same block. */
  async verifyRange(jobId: string, from: string, to: string): Promise<RangeSummary> {
    const days = this.#range(from, to);
    const job = { cancelled: false };
    this.#jobs.set(jobId, job);
    const started = Date.now();
    const summary = { jobId, total: days.length, done: 0, verified: 0, differs: 0, failed: 0, missing: 0, cancelled: false, durationMs: 0, problems: [] as RangeSummary['problems'] };
    try {
      const chain = await readChainHead(this.#connection().rpc);
      for (const day of days) {
        if (job.cancelled || this.#disposed) {
          summary.cancelled = true;
          break;
        }
        const report = await this.#verify(day, undefined, chain);
        const status = this.#statusOf(report);
        summary.done++;
        if (status === 'verified') summary.verified++;
        else {
          if (status === 'differs') summary.differs++;
          else if (status === 'missing') summary.missing++;
          else summary.failed++;
          summary.problems.push({ date: report.date, code: report.steps.find((s) => s.status === 'fail')?.code ?? report.steps.find((s) => s.code)?.code ?? null });
        }
        this.deps.emit?.('ledger.verifyProgress', { jobId, done: summary.done, total: summary.total, date: report.date, status });
      }
    } finally {
      this.#jobs.delete(jobId);
    }
    return { ...summary, durationMs: Date.now() - started };
  }

  cancelVerify(jobId: string): { cancelled: boolean } {
    const job = this.#jobs.get(jobId);
    if (job) job.cancelled = true;
    return { cancelled: job !== undefined };
  }

  async attest(date: string): Promise<AttestationResult> {
    const day = parseDay(date) ?? badDate(date);
    if (!this.deps.sender) throw new WattletError('LEDGER_NO_SIGNER', 'No wallet is available to sign the attestation', {});
    if (day >= dayOf((this.deps.now?.() ?? Date.now()) / 1000)) throw new WattletError('LEDGER_DAY_NOT_CLOSED', `${date} has not ended yet`, { date });
    const local = await this.deps.local.intervals(this.deps.meterId, day);
    if (!local.length) throw new WattletError('LEDGER_NO_LOCAL_READINGS', `No readings of my meter for ${date}`, { date });
    const c = this.#connection();
    const { chainId } = await readChainHead(c.rpc);
    return attestDay({
      rpc: c.rpc,
      chainId,
      contract: c.contract,
      meterId: this.deps.meterId,
      day,
      local,
      handover: await this.deps.handovers.handover(this.deps.meterId, day),
      sender: this.deps.sender,
    });
  }

  dispose(): void {
    this.#disposed = true;
    for (const job of this.#jobs.values()) job.cancelled = true;
  }
}
