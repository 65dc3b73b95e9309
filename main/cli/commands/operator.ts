import { parseArgs } from 'node:util';
import { WattletError } from '../../api/errors.js';
import { startDemoLedger } from '../../ledger/chain/demo-ledger.js';
import { meterIdOf } from '../../ledger/chain/meter-id.js';
import { parseDay } from '../../ledger/day.js';
import type { Discrepancy } from '../../ledger/operator/official-day.js';
import { syntheticReadingSource } from '../../ledger/operator/reading-source.js';
import type { CliIO, Command } from '../command.js';

const USAGE = `Usage: wattlet operator demo [options]

Plays the grid operator on a local Hardhat chain (demo and support): deploys EnergyLedger,
registers the meter, anchors the last closed days from a simulated household, writes the
interval files the household receives, prints { rpcUrl, chainId, contract, meterId, owner,
intervalsDir } as one JSON line, and serves the chain until interrupted (Ctrl-C).

Options:
  --meter ID          meter id or serial (default E0031234567890)
  --days N            closed days to anchor (default 30)
  --out DIR           folder for interval files (<DIR>/<meterId>/<YYYY-MM-DD>.json)
  --port P            JSON-RPC port on 127.0.0.1 (default: a free port)
  --owner ADDR        the household's wallet address (default: demo account 1)
  --differ D:I:WH     make the operator's interval I (0–95) of day D (YYYY-MM-DD) differ by WH
                      watt-hours from the meter (repeatable)
  --once              exit after anchoring instead of serving
`;

export function operatorCommand(deps: { waitForExit?: () => Promise<void> } = {}): Command {
  return {
    name: 'operator demo',
    summary: 'run a demo grid operator on a local chain (anchors days, writes interval files)',
    usage: USAGE,
    async run(args: string[], io: CliIO): Promise<number> {
      const { values } = parseArgs({
        args,
        strict: true,
        options: {
          meter: { type: 'string', default: 'E0031234567890' },
          days: { type: 'string', default: '30' },
          out: { type: 'string' },
          port: { type: 'string' },
          owner: { type: 'string' },
          differ: { type: 'string', multiple: true, default: [] },
          once: { type: 'boolean', default: false },
        },
      });
      const discrepancies: Discrepancy[] = [];
      for (const d of values.differ) {
        const m = /^(\d{4}-\d{2}-\d{2}):(\d{1,2}):(-?\d+)$/.exec(d);
        const day = m ? parseDay(m[1]!) : undefined;
        if (!m || day === undefined || Number(m[2]) > 95) {
          io.stderr(`wattlet operator demo: --differ wants YYYY-MM-DD:INDEX:WH, got ${d}\n`);
          return 2;
        }
        discrepancies.push({ day, index: Number(m[2]), importDeltaWh: BigInt(m[3]!) });
      }
      const days = Number(values.days);
      if (!Number.isInteger(days) || days < 1 || days > 800) {
        io.stderr('wattlet operator demo: --days must be 1–800\n');
        return 2;
      }
      try {
        const demo = await startDemoLedger({
          source: syntheticReadingSource(),
          meterId: meterIdOf(values.meter),
          days,
          discrepancies,
          ...(values.out ? { outDir: values.out } : {}),
          ...(values.port ? { port: Number(values.port) } : {}),
          ...(values.owner ? { owner: values.owner } : {}),
        });
        io.stdout(
          JSON.stringify({ rpcUrl: demo.url, chainId: demo.chainId, contract: demo.contract, meterId: demo.meterId, owner: demo.owner, intervalsDir: values.out ?? null }) + '\n',
        );
        if (!values.once) {
          await (deps.waitForExit ?? (() => new Promise<void>((resolve) => process.once('SIGINT', () => resolve()))))();
        }
        await demo.dispose();
        return 0;
      } catch (e) {
        if (e instanceof WattletError) {
          io.stderr(`wattlet: ${e.message} [${e.code}]\n`);
          return 1;
        }
        throw e;
      }
    },
  };
}

export const operator = operatorCommand();
