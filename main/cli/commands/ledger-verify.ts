import { meterIdOf } from '../../ledger/chain/meter-id.js';
import { parseDay } from '../../ledger/day.js';
import { readHandoverFile, readRegionPathFile } from '../../ledger/operator/handover-files.js';
import { fetchDayEvidence } from '../../ledger/rpc/day-evidence.js';
import { httpTransport } from '../../ledger/rpc/json-rpc.js';
import { verifyDay, type DayEvidence } from '../../ledger/verify/verify-day.js';
import { readFile } from 'node:fs/promises';
import { WattletError } from '../../api/errors.js';
import { parseCheckpointText, type CheckpointText } from '../../ledger/checkpoint/checkpoint-text.js';
import { fetchHeaderChain } from '../../ledger/checkpoint/fetch-header-chain.js';
import type { JsonRpcTransport } from '../../ledger/rpc/json-rpc.js';
import type { PinnedCheckpoint } from '../../ledger/verify/header-chain.js';
import type { Command } from '../command.js';
import { defineCommand } from '../define-command.js';
import { explainError } from '../explain-error.js';
import { requireOptions, UsageError, wholeNumber } from '../usage-error.js';
import { verifyFile } from './ledger-verify-file.js';

const USAGE = `Usage: wattlet ledger verify --rpc URL --contract ADDR --meter ID --day YYYY-MM-DD [options]
       wattlet ledger verify --pack FILE [--checkpoint TEXT] [--json]
       wattlet ledger verify --interval-proof FILE [--checkpoint TEXT] [--json]

Verifies the operator's anchor of one meter-day on EnergyLedger, trusting nothing the endpoint
says that is not proven, from the bottom up: with --intervals every interval of the operator's
file under the meter-day root; for a meter anchored through its region, with --region-path, that
root's leaf under the region-day root (leaf → meter-day root → region-day root); the anchored
root (and the meter's registration in its region) proven in the contract's storage against the
header's state root (EIP-1186); the block header hashing to its hash (every fork up to Prague;
unknown header fields are refused). Prints the report as JSON; "design" says whether the day was
anchored per region or per meter.

Offline, from a file alone (no endpoint is asked; any machine):
  --pack FILE            a household's dispute pack (wattlet.dispute-pack/1): its form; every
                         link of the day's proof (the operator's leaves under the anchored root,
                         the region path, the storage proof, the header, the header chain to the
                         pinned checkpoint, depth); the household's signature over all of it, by
                         the meter's owner at block B (proven). Prints each step, then the
                         verdict: whether the household's meter agrees with the operator's record.
  --interval-proof FILE  one quarter-hour disclosed (wattlet.interval-proof/1): its leaf and salt
                         under the meter-day root, the region path, storage proof, header, chain.
  --json                 print the step report as JSON instead of words
  --checkpoint TEXT      a block you hold from your own source, as printed ("block 18,234,567
                         0x3f…", "chain 246" optional): the file must contain it (block B, its
                         checkpoint, or a header between). Without it the file's checkpoint is the
                         household's own word, and the output says so.
  --checkpoint-file FILE the same from a wattlet.checkpoint/1 file (or a file holding the line)
  A file that does not verify is refused naming the first step that breaks (exit 1).

Options:
  --rpc URL            JSON-RPC endpoint
  --contract ADDR      EnergyLedger address
  --meter ID           meter id: 0x + 64 hex, or the serial printed on the meter
  --day YYYY-MM-DD     UTC day
  --intervals FILE     the operator's interval file for that day (wattlet.intervals/1)
  --region-path FILE   the meter's path in its region's day tree (wattlet.region-path/1); without
                       it a meter anchored through its region stops at LEDGER_NO_REGION_PATH
  --min-depth N        blocks B must be below the head (default 0)
  --block N            verify at block N instead of head − min-depth
  --second-rpc URL     an independent endpoint that must have the same block B
  --checkpoint TEXT    (and --checkpoint-file FILE) a block you pinned from another source:
                       block B is linked to it by parent hashes (the report's checkpoint step)

Exit status: 0 when no step failed (a pack: intact, whatever its verdict), 1 when a step failed
(a pack refused), 2 when the endpoint or file could not be reached or the arguments are wrong,
3 when no step failed but a link was left unchecked (a region meter without --region-path).
`;

export function ledgerVerifyCommand(): Command {
  return defineCommand({
    name: 'ledger verify',
    summary: "verify an operator's day anchor on EnergyLedger (JSON report), or a dispute pack / interval proof offline",
    usage: USAGE,
    options: {
      rpc: { type: 'string' },
      contract: { type: 'string' },
      meter: { type: 'string' },
      day: { type: 'string' },
      intervals: { type: 'string' },
      'region-path': { type: 'string' },
      'min-depth': { type: 'string', default: '0' },
      block: { type: 'string' },
      'second-rpc': { type: 'string' },
      pack: { type: 'string' },
      'interval-proof': { type: 'string' },
      json: { type: 'boolean', default: false },
      checkpoint: { type: 'string' },
      'checkpoint-file': { type: 'string' },
    },
    // The endpoint could not be reached or answered nonsense: no step ran, so not 1 (a step failed).
    errorExit: 2,
    async run({ values }, io) {
      const checkpoint = await readerCheckpoint(values.checkpoint, values['checkpoint-file']);
      if (values.pack !== undefined || values['interval-proof'] !== undefined) {
        return verifyFile({ pack: values.pack, intervalProof: values['interval-proof'], json: values.json, checkpoint: checkpoint ?? undefined }, io);
      }
      requireOptions(values, ['rpc', 'contract', 'meter', 'day']);
      const day = parseDay(values.day!);
      if (day === undefined) throw new UsageError(`--day must be YYYY-MM-DD, got ${values.day}`);
      if (!/^0x[0-9a-fA-F]{40}$/.test(values.contract!)) throw new UsageError(`--contract must be a 0x address, got ${values.contract}`);
      const minDepth = wholeNumber(values['min-depth'], 'min-depth', 0);
      const block = values.block === undefined ? undefined : wholeNumber(values.block, 'block', 0);
      const meterId = meterIdOf(values.meter!);
      const handover = values.intervals ? await readHandoverFile(values.intervals) : null;
      const region = values['region-path'] ? await readRegionPathFile(values['region-path']) : null;
      const rpc = httpTransport(values.rpc!);
      const evidence = await fetchDayEvidence({
        rpc,
        contract: values.contract!,
        meterId,
        day,
        minDepth,
        ...(block !== undefined ? { blockNumber: block } : {}),
        ...(values['second-rpc'] ? { second: { url: values['second-rpc'], rpc: httpTransport(values['second-rpc']) } } : {}),
        ...(region ? { regionId: region.regionId } : {}),
      });
      const pinned: PinnedCheckpoint | null = checkpoint
        ? { chainId: checkpoint.chainId, number: checkpoint.number, hash: checkpoint.hash, pinnedAt: new Date().toISOString().slice(0, 10), source: { kind: values['checkpoint-file'] ? 'file' : 'bill', label: values['checkpoint-file'] ?? '--checkpoint' } }
        : null;
      const chain = pinned ? await chainTo(rpc, evidence.blockNumber, pinned) : null;
      const report = await verifyDay({ meterId, day, evidence: { ...evidence, ...chain }, handover, region, local: null, minDepth, resolutionWh: 1n });
      io.stdout(JSON.stringify(report, null, 2) + '\n');
      const failed = report.steps.filter((s) => s.status === 'fail');
      for (const s of failed) io.stderr(`wattlet: step ${s.id} failed: ${explainError({ code: s.code ?? 'INTERNAL', message: s.message, facts: {} })}\n`);
      // A link of the chain left unproven for want of a file is not a failure, but neither is the
      // day proven: a script reading only the status must not take it for verified (exit 3).
      const unproven = report.steps.filter((s) => s.status === 'skipped' && s.code === 'LEDGER_NO_REGION_PATH');
      for (const s of unproven) io.stderr(`wattlet: step ${s.id} not checked: ${explainError({ code: s.code!, message: s.message, facts: { date: report.date } })}\n`);
      return failed.length ? 1 : unproven.length ? 3 : 0;
    },
  });
}

/** The reader's own checkpoint, from --checkpoint TEXT or --checkpoint-file FILE (LEDGER_CHECKPOINT_INVALID when it is not one). */
async function readerCheckpoint(text: string | undefined, file: string | undefined): Promise<CheckpointText | null> {
  if (text !== undefined && file !== undefined) throw new UsageError('give --checkpoint or --checkpoint-file, not both');
  if (file !== undefined) {
    let content: string;
    try {
      content = await readFile(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    return parseCheckpointText(content);
  }
  return text === undefined ? null : parseCheckpointText(text);
}

/** The headers between B and the checkpoint, or why they could not be fetched (the checkpoint step then fails with it). */
async function chainTo(rpc: JsonRpcTransport, blockNumber: number, checkpoint: PinnedCheckpoint): Promise<Pick<DayEvidence, 'chain' | 'chainUnavailable'>> {
  try {
    return { chain: await fetchHeaderChain({ rpc, blockNumber, checkpoint }) };
  } catch (e) {
    if (!(e instanceof WattletError) || !['LEDGER_HEADER_CHAIN_TOO_LONG', 'LEDGER_CHECKPOINT_MISMATCH'].includes(e.code)) throw e;
    return { chainUnavailable: { code: e.code, message: e.message } };
  }
}

export const ledgerVerify = ledgerVerifyCommand();
