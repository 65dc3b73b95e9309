import { parseArgs } from 'node:util';
import { WattletError, type ErrorShape } from '../../api/errors.js';
import { ledger as en } from '../../../renderer/i18n/en/ledger.js';
import { meterIdOf } from '../../ledger/chain/meter-id.js';
import { parseDay } from '../../ledger/day.js';
import { readHandoverFile } from '../../ledger/operator/handover-files.js';
import { fetchDayEvidence } from '../../ledger/rpc/day-evidence.js';
import { httpTransport } from '../../ledger/rpc/json-rpc.js';
import { verifyDay } from '../../ledger/verify/verify-day.js';
import type { CliIO, Command } from '../command.js';

const USAGE = `Usage: wattlet ledger verify --rpc URL --contract ADDR --meter ID --day YYYY-MM-DD [options]

Verifies the operator's anchor of one meter-day on EnergyLedger, trusting nothing the endpoint
says that is not proven: the block header hashes to its hash (every fork up to Prague; unknown
header fields are refused), the contract's account and the anchored root and totals are proven
against the header's state root (EIP-1186), and with --intervals every interval of the
operator's file is proven under that root. Prints the report as JSON.

Options:
  --rpc URL            JSON-RPC endpoint
  --contract ADDR      EnergyLedger address
  --meter ID           meter id: 0x + 64 hex, or the serial printed on the meter
  --day YYYY-MM-DD     UTC day
  --intervals FILE     the operator's interval file for that day (wattlet.intervals/1)
  --min-depth N        blocks B must be below the head (default 0)
  --block N            verify at block N instead of head − min-depth
  --second-rpc URL     an independent endpoint that must have the same block B

Exit status: 0 when no step failed, 1 when a step failed, 2 when the endpoint could not be
reached or the arguments are wrong.
`;

function explain(e: ErrorShape): string {
  const template = en.errors[e.code];
  const text = template ? template.replace(/\{(\w+)\}/g, (w, k: string) => (e.facts[k] == null ? w : String(e.facts[k]))) : e.message;
  return `${text} [${e.code}]`;
}

export function ledgerVerifyCommand(): Command {
  return {
    name: 'ledger verify',
    summary: "verify an operator's day anchor on EnergyLedger (JSON report)",
    usage: USAGE,
    async run(args: string[], io: CliIO): Promise<number> {
      const { values } = parseArgs({
        args,
        strict: true,
        options: {
          rpc: { type: 'string' },
          contract: { type: 'string' },
          meter: { type: 'string' },
          day: { type: 'string' },
          intervals: { type: 'string' },
          'min-depth': { type: 'string', default: '0' },
          block: { type: 'string' },
          'second-rpc': { type: 'string' },
        },
      });
      const missing = (['rpc', 'contract', 'meter', 'day'] as const).filter((k) => !values[k]);
      if (missing.length) {
        io.stderr(`wattlet ledger verify: missing --${missing.join(', --')}\n\n${USAGE}`);
        return 2;
      }
      const day = parseDay(values.day!);
      const minDepth = Number(values['min-depth']);
      const block = values.block === undefined ? undefined : Number(values.block);
      if (day === undefined || !/^0x[0-9a-fA-F]{40}$/.test(values.contract!) || !Number.isInteger(minDepth) || minDepth < 0 || (block !== undefined && (!Number.isInteger(block) || block < 0))) {
        io.stderr('wattlet ledger verify: --day must be YYYY-MM-DD, --contract a 0x address, --min-depth and --block whole numbers\n');
        return 2;
      }
      const meterId = meterIdOf(values.meter!);
      try {
        const handover = values.intervals ? await readHandoverFile(values.intervals) : null;
        const rpc = httpTransport(values.rpc!);
        const evidence = await fetchDayEvidence({
          rpc,
          contract: values.contract!,
          meterId,
          day,
          minDepth,
          ...(block !== undefined ? { blockNumber: block } : {}),
          ...(values['second-rpc'] ? { second: { url: values['second-rpc'], rpc: httpTransport(values['second-rpc']) } } : {}),
        });
        const report = await verifyDay({ meterId, day, evidence, handover, local: null, minDepth, resolutionWh: 1n });
        io.stdout(JSON.stringify(report, null, 2) + '\n');
        const failed = report.steps.filter((s) => s.status === 'fail');
        for (const s of failed) io.stderr(`wattlet: step ${s.id} failed: ${explain({ code: s.code ?? 'INTERNAL', message: s.message, facts: {} })}\n`);
        return failed.length ? 1 : 0;
      } catch (e) {
        if (e instanceof WattletError) {
          io.stderr(`wattlet: ${explain(e.toJSON())}\n`);
          return 2;
        }
        throw e;
      }
    },
  };
}

export const ledgerVerify = ledgerVerifyCommand();
