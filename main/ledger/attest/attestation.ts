import { WattletError } from '../../api/errors.js';
import { toHex } from '../../common/hex.js';
import { energyLedgerInterface } from '../chain/ledger-contract.js';
import { formatDay } from '../day.js';
import type { JsonRpcTransport } from '../rpc/json-rpc.js';
import { buildDayTree } from '../tree/day-tree.js';
import type { IntervalHandover } from '../tree/handover.js';
import type { MeterInterval } from '../verify/compare-readings.js';
import type { TransactionSender } from './transaction-sender.js';

export interface AttestationResult {
  readonly txHash: string;
  readonly root: string;
  readonly importWh: bigint;
  readonly exportWh: bigint;
  readonly blockNumber: number;
}

function randomSalt(): string {
  const b = new Uint8Array(32);
  crypto.getRandomValues(b);
  return '0x' + toHex(b);
}

/**
 * The household's own record of a day as a tree of the same leaf format. Each leaf reuses the
 * operator's salt for that interval where one was handed over, so in a dispute the two leaves of
 * an interval differ only in the energy values; without one, a fresh random salt is used (and
 * returned, since only the household can later open that leaf).
 */
export function householdDayTree(meterId: string, local: readonly MeterInterval[], handover: IntervalHandover | null) {
  const salts = new Map(handover?.intervals.map((iv) => [iv.start, iv.salt]) ?? []);
  const intervals = local.map((iv) => ({ ...iv, salt: salts.get(iv.start) ?? randomSalt() }));
  const tree = buildDayTree(meterId, intervals);
  return {
    root: tree.root,
    intervals,
    importWh: intervals.reduce((s, iv) => s + iv.importWh, 0n),
    exportWh: intervals.reduce((s, iv) => s + iv.exportWh, 0n),
  };
}

async function waitForReceipt(rpc: JsonRpcTransport, hash: string, timeoutMs = 120_000): Promise<{ status: string; blockNumber: string }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = (await rpc.request('eth_getTransactionReceipt', [hash])) as { status: string; blockNumber: string } | null;
    if (r) return r;
    if (Date.now() > until) throw new WattletError('LEDGER_TX_FAILED', `No receipt for ${hash}`, { txHash: hash });
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Anchors the household's day root with EnergyLedger.attestDay, signed by the owner's wallet
 * through `sender` (after the person approves), and waits for it to be mined.
 */
export async function attestDay(args: {
  rpc: JsonRpcTransport;
  chainId: number;
  contract: string;
  meterId: string;
  day: number;
  local: readonly MeterInterval[];
  handover: IntervalHandover | null;
  sender: TransactionSender;
}): Promise<AttestationResult> {
  const t = householdDayTree(args.meterId, args.local, args.handover);
  const data = energyLedgerInterface.encodeFunctionData('attestDay', [args.meterId, args.day, t.root, t.importWh, t.exportWh]);
  const from = await args.sender.address();
  // Dry-run first, so a refusal (not the owner, already attested) is a coded error before the
  // person is asked to approve anything.
  try {
    await args.rpc.request('eth_call', [{ from, to: args.contract, data }, 'latest']);
  } catch (e) {
    if (e instanceof WattletError && e.code === 'LEDGER_RPC_ERROR') {
      const revertData = typeof e.facts.rpcData === 'string' ? e.facts.rpcData : null;
      let name = '';
      try {
        name = revertData ? (energyLedgerInterface.parseError(revertData)?.name ?? '') : '';
      } catch {
        name = '';
      }
      const raw = name + ' ' + String(e.facts.rpcMessage ?? '') + ' ' + e.message;
      const code = /CallerNotMeterOwner|MeterUnknown/.test(raw)
        ? 'LEDGER_NOT_METER_OWNER'
        : /AlreadyAttested/.test(raw)
          ? 'LEDGER_ALREADY_ATTESTED'
          : /DayInFuture/.test(raw)
            ? 'LEDGER_DAY_NOT_CLOSED'
            : 'LEDGER_TX_FAILED';
      throw new WattletError(code, `attestDay would fail: ${raw.trim().slice(0, 200)}`, { date: formatDay(args.day), from }, { cause: e });
    }
    throw e;
  }
  const txHash = await args.sender.send({
    chainId: args.chainId,
    to: args.contract,
    data,
    summary: { kind: 'ledger.attest', meterId: args.meterId, date: formatDay(args.day), root: t.root, importWh: t.importWh.toString(), exportWh: t.exportWh.toString() },
  });
  const receipt = await waitForReceipt(args.rpc, txHash);
  if (receipt.status !== '0x1') throw new WattletError('LEDGER_TX_FAILED', `attestDay reverted in ${txHash}`, { txHash });
  return { txHash, root: t.root, importWh: t.importWh, exportWh: t.exportWh, blockNumber: Number(BigInt(receipt.blockNumber)) };
}
