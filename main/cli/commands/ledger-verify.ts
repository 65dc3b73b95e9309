import { meterIdOf } from '../../ledger/chain/meter-id.js';
import { parseDay } from '../../ledger/day.js';
import { readHandoverFile, readRegionPathFile } from '../../ledger/operator/handover-files.js';
import { fetchDayEvidence } from '../../ledger/rpc/day-evidence.js';
import { httpTransport } from '../../ledger/rpc/json-rpc.js';
import { verifyDay } from '../../ledger/verify/verify-day.js';
import type { Command } from '../command.js';
import { defineCommand } from '../define-command.js';
import { explainError } from '../explain-error.js';
import { requireOptions, UsageError, wholeNumber } from '../usage-error.js';
import { verifyFile } from './ledger-verify-file.js';

const USAGE = `Usage: wattlet ledger verify --rpc URL --contract ADDR --meter ID --day YYYY-MM-DD [options]
       wattlet ledger verify --pack FILE [--json]
       wattlet ledger verify --interval-proof FILE [--json]

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

Exit status: 0 when no step failed (a pack: intact, whatever its verdict), 1 when a step failed
(a pack refused), 2 when the endpoint or file could not be reached or the arguments are wrong.
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
    },
    // The endpoint could not be reached or answered nonsense: no step ran, so not 1 (a step failed).
    errorExit: 2,
    async run({ values }, io) {
      if (values.pack !== undefined || values['interval-proof'] !== undefined) {
        return verifyFile({ pack: values.pack, intervalProof: values['interval-proof'], json: values.json }, io);
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
      const report = await verifyDay({ meterId, day, evidence, handover, region, local: null, minDepth, resolutionWh: 1n });
      io.stdout(JSON.stringify(report, null, 2) + '\n');
      const failed = report.steps.filter((s) => s.status === 'fail');
      for (const s of failed) io.stderr(`wattlet: step ${s.id} failed: ${explainError({ code: s.code ?? 'INTERNAL', message: s.message, facts: {} })}\n`);
      // A link of the chain left unproven for want of a file is not a failure, but it is said.
      const unproven = report.steps.filter((s) => s.status === 'skipped' && s.code === 'LEDGER_NO_REGION_PATH');
      for (const s of unproven) io.stderr(`wattlet: step ${s.id} not checked: ${explainError({ code: s.code!, message: s.message, facts: { date: report.date } })}\n`);
      return failed.length ? 1 : 0;
    },
  });
}

export const ledgerVerify = ledgerVerifyCommand();
