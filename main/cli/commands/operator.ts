import { startDemoLedger } from '../../ledger/chain/demo-ledger.js';
import { meterIdOf } from '../../ledger/chain/meter-id.js';
import { parseDay } from '../../ledger/day.js';
import type { Discrepancy } from '../../ledger/operator/official-day.js';
import { syntheticReadingSource } from '../../ledger/operator/reading-source.js';
import type { Command } from '../command.js';
import { defineCommand } from '../define-command.js';
import { UsageError, wholeNumber } from '../usage-error.js';

const USAGE = `Usage: wattlet operator demo [options]

Plays the grid operator on a local Hardhat chain (demo and support): deploys EnergyLedger,
registers the meter in the demo region beside 7 simulated neighbours, anchors the region's last
closed days (one root a day over the meters' day roots) from a simulated household, writes the
interval files and region paths the household receives, prints { rpcUrl, chainId, contract,
meterId, owner, regionId, intervalsDir } as one JSON line, and serves the chain until
interrupted (Ctrl-C).

Options:
  --meter ID          meter id or serial (default E0031234567890)
  --days N            closed days to anchor (default 30)
  --out DIR           folder for interval files (<DIR>/<meterId>/<YYYY-MM-DD>.json) and region
                      paths (<YYYY-MM-DD>.region.json)
  --per-meter         anchor each meter-day on its own (a small operator) instead of by region
  --port P            JSON-RPC port on 127.0.0.1 (default: a free port)
  --owner ADDR        the household's wallet address (default: demo account 1)
  --differ D:I:WH     make the operator's interval I (0–95) of day D (YYYY-MM-DD) differ by WH
                      watt-hours from the meter (repeatable)
  --once              exit after anchoring instead of serving
`;

export function operatorCommand(deps: { waitForExit?: () => Promise<void> } = {}): Command {
  return defineCommand({
    name: 'operator demo',
    summary: 'run a demo grid operator on a local chain (anchors region days, writes interval files and region paths)',
    usage: USAGE,
    options: {
      meter: { type: 'string', default: 'E0031234567890' },
      days: { type: 'string', default: '30' },
      out: { type: 'string' },
      port: { type: 'string' },
      owner: { type: 'string' },
      differ: { type: 'string', multiple: true, default: [] },
      once: { type: 'boolean', default: false },
      'per-meter': { type: 'boolean', default: false },
    },
    async run({ values }, io) {
      const discrepancies = values.differ.map(discrepancy);
      const days = wholeNumber(values.days, 'days', 1, 800);
      const port = values.port === undefined ? undefined : wholeNumber(values.port, 'port', 0, 65_535);
      const demo = await startDemoLedger({
        source: syntheticReadingSource(),
        meterId: meterIdOf(values.meter),
        days,
        discrepancies,
        ...(values.out ? { outDir: values.out } : {}),
        ...(port !== undefined ? { port } : {}),
        ...(values.owner ? { owner: values.owner } : {}),
        ...(values['per-meter'] ? { region: null } : {}),
      });
      io.stdout(
        JSON.stringify({ rpcUrl: demo.url, chainId: demo.chainId, contract: demo.contract, meterId: demo.meterId, owner: demo.owner, regionId: demo.regionId, intervalsDir: values.out ?? null }) + '\n',
      );
      if (!values.once) {
        await (deps.waitForExit ?? (() => new Promise<void>((resolve) => process.once('SIGINT', () => resolve()))))();
      }
      await demo.dispose();
      return 0;
    },
  });
}

/** --differ D:I:WH: the operator's interval I of day D differs from the meter by WH. */
function discrepancy(text: string): Discrepancy {
  const m = /^(\d{4}-\d{2}-\d{2}):(\d{1,2}):(-?\d+)$/.exec(text);
  const day = m ? parseDay(m[1]!) : undefined;
  if (!m || day === undefined || Number(m[2]) > 95) throw new UsageError(`--differ wants YYYY-MM-DD:INDEX:WH, got ${text}`);
  return { day, index: Number(m[2]), importDeltaWh: BigInt(m[3]!) };
}

export const operator = operatorCommand();
