import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName, RequestOf, ResponseOf } from '../../../main/api/contract.js';
import { composeServices, type Services } from '../../../main/compose.js';
import { HistoryService } from '../../../main/history/service.js';
import type { MeterSample } from '../../../main/history/sample.js';
import { startDemoLedger, type DemoLedger } from '../../../main/ledger/chain/demo-ledger.js';
import { meterIdOf } from '../../../main/ledger/chain/meter-id.js';
import { dayOf, dayStart, formatDay } from '../../../main/ledger/day.js';
import { historyReadingSource } from '../../../main/ledger/operator/history-source.js';
import { silentLogger } from '../../../main/logging/logger.js';

// The ledger as the app builds it (composeServices, nothing rewired here), over my meter's history
// in the data folder (real SQLite): in live mode against an operator's chain with its interval
// files saved where the person saves them, and in demo mode, where the app plays the operator.
const SERIAL = 'E0025000123456789';
const today = dayOf(Date.now() / 1000);

/** Three days of one-minute readings of a simple household: 3 Wh a minute in, 1 Wh out by day. */
function writeHistory(dataDir: string): HistoryService {
  const history = new HistoryService({ dataDir, timeZone: 'UTC' });
  const samples: MeterSample[] = [];
  let imp = 1_000_000;
  let exp = 5_000;
  for (let t = dayStart(today - 3) * 1000; t <= dayStart(today) * 1000; t += 60_000) {
    const hour = new Date(t).getUTCHours();
    imp += 3;
    if (hour >= 9 && hour < 16) exp += 1;
    samples.push({ meter: SERIAL, ts: t, importWh: imp, exportWh: exp, powerW: 180 });
  }
  history.append(samples);
  return history;
}

function asker(services: Services) {
  return async <C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> => {
    const env = await services.dispatch(channel, request, { host: 'cli' });
    if (!env.ok) throw new Error(`${channel}: ${env.error.code} ${env.error.message}`);
    return env.result as ResponseOf<C>;
  };
}

describe('the composed ledger, live, against an operator with a difference on one day', () => {
  let dir: string;
  let operator: DemoLedger;
  let services: Services;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wattlet-ledger-live-'));
    const dataDir = join(dir, 'data');
    const history = writeHistory(dataDir);
    try {
      // The operator reads the same meter, anchors three days (one with 7 Wh more in at 10:00) and
      // writes its interval files into the folder the app reads them from.
      operator = await startDemoLedger({
        source: historyReadingSource(history),
        meterId: meterIdOf(SERIAL),
        days: 3,
        discrepancies: [{ day: today - 1, index: 40, importDeltaWh: 7n }],
        outDir: join(dataDir, 'handovers'),
      });
    } finally {
      history.dispose();
    }
    // A public chain's 12 blocks of depth, so the anchors count as final.
    const provider = new JsonRpcProvider(operator.url);
    await provider.send('hardhat_mine', ['0xc']);
    provider.destroy();
    services = await composeServices({
      dataDir,
      host: 'cli',
      version: '0.0.0',
      settingsOverrides: { rpcUrl: operator.url, contractAddress: operator.contract, meterId: SERIAL },
      parts: { logger: silentLogger },
    });
  });
  afterAll(async () => {
    try {
      await services?.dispose();
      await operator?.dispose();
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  });

  it('is connected in live mode to the configured endpoint, for my meter', async () => {
    const status = await asker(services)('ledger.status', {});
    expect(status).toMatchObject({ mode: 'live', state: 'connected', rpcUrl: operator.url, contract: operator.contract, meterId: meterIdOf(SERIAL), minDepth: 12 });
  });

  it('verifies an anchored day against my history, and shows the operator\'s difference', async () => {
    const ask = asker(services);
    const ok = await ask('ledger.verifyDay', { date: formatDay(today - 2) });
    expect(ok.ok).toBe(true);
    const differs = await ask('ledger.verifyDay', { date: formatDay(today - 1) });
    expect(differs.steps[0]).toMatchObject({ status: 'fail', code: 'PROOF_READINGS_DIFFER' });
    expect(differs.steps[0]!.comparisons.filter((c) => !c.ok).map((c) => [c.expected, c.actual])).toEqual([['45', '52']]);
    const days = await ask('ledger.days', { from: formatDay(today - 3), to: formatDay(today - 1) });
    // The day not verified yet is pending: my record agrees with the operator's file, the proof is still to walk.
    expect(days.days.map((d) => d.status)).toEqual(['pending', 'verified', 'differs']);
  });
});

describe('the composed ledger in demo mode (no endpoint configured): the app plays the operator', () => {
  let dir: string;
  let services: Services;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wattlet-ledger-demo-'));
    const dataDir = join(dir, 'data');
    writeHistory(dataDir).dispose();
    services = await composeServices({ dataDir, host: 'cli', version: '0.0.0', demoDays: 3, settingsOverrides: { meterId: SERIAL }, parts: { logger: silentLogger } });
  });
  afterAll(async () => {
    try {
      await services?.dispose();
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  });

  it('serves its local chain once it is up, anchors my closed days from my history and verifies them', async () => {
    const ask = asker(services);
    const chain = await services.demo.ready;
    expect(chain).not.toBeNull();
    expect(await ask('ledger.status', {})).toMatchObject({ mode: 'demo', state: 'connected', rpcUrl: chain!.url, contract: chain!.contract, minDepth: 0 });
    const report = await ask('ledger.verifyDay', { date: formatDay(today - 1) });
    expect(report.ok).toBe(true);
    expect(report.steps.find((s) => s.id === 'readings')).toMatchObject({ status: 'pass' });
    expect(report.steps.find((s) => s.id === 'readings')!.comparisons).toHaveLength(2 * 96);
  });
});
