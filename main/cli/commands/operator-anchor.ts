import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import { energyLedgerArtifact } from '../../ledger/contract-artifact.js';
import { meterIdOf } from '../../ledger/chain/meter-id.js';
import { formatDay, parseDay } from '../../ledger/day.js';
import { handoverPaths } from '../../ledger/operator/handover-files.js';
import { anchorRegionDays } from '../../ledger/operator/region-anchor.js';
import { buildRegionFromFolder } from '../../ledger/operator/region-build.js';
import { regionStoreDir, writeRegionStore } from '../../ledger/operator/region-store.js';
import { REGION_RECORD_BYTES } from '../../ledger/tree/region-tree.js';
import { hex } from '../../ledger/verify/bytes.js';
import type { Command } from '../command.js';
import { defineCommand } from '../define-command.js';
import { requireOptions, UsageError, wholeNumber } from '../usage-error.js';

const USAGE = `Usage: wattlet operator anchor --region R --day YYYY-MM-DD --from DIR --rpc URL --contract ADDR [options]

The grid operator's daily anchor at scale (LEDGER.md "At national scale"): builds the region's
day tree from per-meter day files, anchors its one root on EnergyLedger with the meter count and
totals, and writes the store households fetch their region paths from by meter id. Streams the
folder with bounded memory, and resumes after a kill from its last checkpoint (run it again with
the same options). Prints { regionId, day, root, meters, importWh, exportWh, anchored, gasUsed,
store, resumedMeterFolders } as one JSON line.

  --from DIR          per-meter day files: <DIR>/<meterId>/<YYYY-MM-DD>.json (wattlet.intervals/1),
                      each rebuilt and checked against its own root before it is used
  --region R          region id: 0x + 64 hex, or its name (hashed, as a meter serial is)
  --out DIR           region store root (default <DIR>/../region-store):
                      <out>/<regionId>/<YYYY-MM-DD>/{records,index,nodes}.bin, manifest.json
  --work DIR          checkpoints (default <out>/.work/<regionId>-<YYYY-MM-DD>)
  --household-files DIR  also write each meter's path as <DIR>/<meterId>/<YYYY-MM-DD>.region.json
                      (beside its interval file, where the household's app reads it)
  --chunk N           meter folders per checkpoint (default 4096)
  --from-block N      where to start reading meter registrations (default 0)
  --skip-registration-check
                      do not refuse meters the ledger does not list in the region
  --no-anchor         build and write the store only

The operator's key (OPERATOR_ROLE) is read from WATTLET_OPERATOR_KEY, and the secret the salts
derive from from WATTLET_OPERATOR_SECRET (0x + 64 hex), never from the command line.

Exit status: 0 anchored (or already anchored with the same root), 1 refused, 2 wrong arguments.
`;

const HEX32 = /^0x[0-9a-fA-F]{64}$/;

/** Every meter whose latest MeterRegionSet names `regionId` (the ledger's registrations). */
async function registeredIn(contract: Contract, regionId: string, fromBlock: number): Promise<Set<string>> {
  const head = await contract.runner!.provider!.getBlockNumber();
  const last = new Map<string, string>();
  const STEP = 50_000;
  for (let from = fromBlock; from <= head; from += STEP) {
    const logs = await contract.queryFilter(contract.filters.MeterRegionSet!(), from, Math.min(head, from + STEP - 1));
    for (const log of logs) {
      const parsed = contract.interface.parseLog(log);
      if (parsed) last.set(String(parsed.args[0]).toLowerCase(), String(parsed.args[1]).toLowerCase());
    }
  }
  return new Set([...last].filter(([, r]) => r === regionId).map(([m]) => m));
}

export function operatorAnchorCommand(): Command {
  return defineCommand({
    name: 'operator anchor',
    summary: "build a region's day tree from per-meter files, anchor its root, write households' paths",
    usage: USAGE,
    options: {
      region: { type: 'string' },
      day: { type: 'string' },
      from: { type: 'string' },
      rpc: { type: 'string' },
      contract: { type: 'string' },
      out: { type: 'string' },
      work: { type: 'string' },
      'household-files': { type: 'string' },
      chunk: { type: 'string', default: '4096' },
      'from-block': { type: 'string', default: '0' },
      'skip-registration-check': { type: 'boolean', default: false },
      'no-anchor': { type: 'boolean', default: false },
    },
    async run({ values }, io) {
      requireOptions(values, ['region', 'day', 'from', ...(values['no-anchor'] ? [] : ['rpc', 'contract'])]);
      const day = parseDay(values.day!);
      if (day === undefined) throw new UsageError(`--day must be YYYY-MM-DD, got ${values.day}`);
      if (values.contract !== undefined && !/^0x[0-9a-fA-F]{40}$/.test(values.contract)) throw new UsageError(`--contract must be a 0x address, got ${values.contract}`);
      const secret = io.env.WATTLET_OPERATOR_SECRET;
      if (!secret || !HEX32.test(secret)) throw new UsageError('WATTLET_OPERATOR_SECRET must hold the operator secret (0x + 64 hex)');
      const key = io.env.WATTLET_OPERATOR_KEY;
      if (!values['no-anchor'] && (!key || !HEX32.test(key))) throw new UsageError('WATTLET_OPERATOR_KEY must hold the operator key (0x + 64 hex)');
      const chunk = wholeNumber(values.chunk, 'chunk', 1);
      const fromBlock = wholeNumber(values['from-block'], 'from-block', 0);
      const regionId = meterIdOf(values.region!);
      const out = values.out ?? join(dirname(values.from!), 'region-store');
      const work = values.work ?? join(out, '.work', `${regionId}-${formatDay(day)}`);

      const provider = values['no-anchor'] ? null : new JsonRpcProvider(values.rpc!, undefined, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 50 });
      try {
        const contract = provider ? new Contract(values.contract!, energyLedgerArtifact.abi, new Wallet(key!, provider)) : null;
        const registered = contract && !values['skip-registration-check'] ? await registeredIn(contract, regionId, fromBlock) : null;
        const build = await buildRegionFromFolder({
          regionId,
          day,
          from: values.from!,
          work,
          secret,
          chunk,
          ...(registered ? { registered: (m: string) => registered.has(m) } : {}),
          onCheckpoint: (p) => io.stderr(`wattlet operator anchor: ${p.entries} meter folders, ${p.meters} meters${p.resumedEntries ? ` (${p.resumedEntries} folders from the interrupted run)` : ''}\n`),
        });
        const { tree } = build;
        const storeDir = regionStoreDir(out, regionId, day);
        await writeRegionStore(storeDir, tree);
        if (values['household-files']) {
          for (let i = 0; i < tree.meters; i++) {
            const meterId = hex(tree.records.subarray(i * REGION_RECORD_BYTES, i * REGION_RECORD_BYTES + 32));
            const file = handoverPaths(values['household-files'], meterId, day).regionPath;
            await mkdir(dirname(file), { recursive: true });
            await writeFile(file, JSON.stringify(tree.path(meterId), null, 2) + '\n');
          }
        }
        let anchored: 'anchored' | 'already' | 'not asked' = 'not asked';
        let gasUsed = 0n;
        if (contract) {
          const outcome = await anchorRegionDays(contract, [tree]);
          anchored = outcome.anchored.length ? 'anchored' : 'already';
          gasUsed = outcome.gasUsed;
        }
        io.stdout(
          JSON.stringify({
            regionId,
            day: formatDay(day),
            root: tree.root,
            meters: tree.meters,
            importWh: tree.importWh.toString(),
            exportWh: tree.exportWh.toString(),
            anchored,
            gasUsed: gasUsed.toString(),
            store: storeDir,
            resumedMeterFolders: build.resumedEntries,
          }) + '\n',
        );
        return 0;
      } finally {
        provider?.destroy();
      }
    },
  });
}

export const operatorAnchor = operatorAnchorCommand();
