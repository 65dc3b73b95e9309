import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName, RequestOf, ResponseOf } from '../../../main/api/contract.js';
import { composeServices, type Services } from '../../../main/compose.js';
import type { DemoLedger } from '../../../main/ledger/chain/demo-ledger.js';
import { meterIdOf } from '../../../main/ledger/chain/meter-id.js';
import { dayOf, formatDay } from '../../../main/ledger/day.js';
import { silentLogger } from '../../../main/logging/logger.js';
import { HOUSEHOLD_METER as SERIAL, startLiveOperator, writeHouseholdHistory } from '../../fixtures/ledger/live-operator.js';

// The ledger as the app builds it (composeServices, nothing rewired here), over my meter's history
// in the data folder (real SQLite): in live mode against an operator's chain with its interval
// files saved where the person saves them, and in demo mode, where the app plays the operator.
const today = dayOf(Date.now() / 1000);

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
    // The operator anchors three days, one with 7 Wh more in at 10:00.
    operator = await startLiveOperator(dataDir, today, [{ day: today - 1, index: 40, importDeltaWh: 7n }]);
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
    writeHouseholdHistory(dataDir, today).dispose();
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
