import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HDNodeWallet, JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName, RequestOf, ResponseOf } from '../../../main/api/contract.js';
import { composeServices, type Services } from '../../../main/compose.js';
import { DEMO_METER_ID, DEMO_TARIFF_ID } from '../../../main/demo/index.js';
import type { DemoLedger } from '../../../main/ledger/chain/demo-ledger.js';
import { meterIdOf } from '../../../main/ledger/chain/meter-id.js';
import { silentLogger } from '../../../main/logging/logger.js';
import { startPrivateKeyring, type PrivateKeyring } from '../wallet/support/private-keyring.js';

// Demo mode as the app builds it (composeServices with the meter choice 'demo' and no ledger
// endpoint): the demo room plays the meter and the chain, and the household's wallet (a real
// keychain, in a private gnome-keyring) adopts the demo meter.
let keyring: PrivateKeyring;
let dir: string;
let services: Services;
let chain: DemoLedger | null;
const household = HDNodeWallet.createRandom();
const events: string[] = [];

async function ask<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const env = await services.dispatch(channel, request, { host: 'cli' });
  if (!env.ok) throw new Error(`${channel}: ${env.error.code} ${env.error.message}`);
  return env.result as ResponseOf<C>;
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  keyring = await startPrivateKeyring({ unlocked: true });
  dir = mkdtempSync(join(tmpdir(), 'wattlet-demo-mode-'));
  services = await composeServices({ dataDir: join(dir, 'data'), host: 'cli', version: '0.0.0', meter: 'demo', demoDays: 2, parts: { logger: silentLogger } });
  services.bus.subscribeAll((event) => events.push(event));
  chain = await services.demo.ready;
}, 120_000);

afterAll(async () => {
  try {
    await services?.dispose();
  } finally {
    keyring?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

describe('demo mode', () => {
  it('plays the meter: two days of past in the history, then live readings of the simulated DSMR 5 meter that continue it', async () => {
    expect(services.history.activeTariffId).toBe(DEMO_TARIFF_ID);
    const [meter] = services.history.store.meters();
    expect(meter?.name).toBe(DEMO_METER_ID);
    expect(Math.abs(meter!.firstTs - (Date.now() - 2 * 86_400_000))).toBeLessThan(5 * 60_000);
    const before = services.history.store.latest()!;
    expect(before.meter).toBe(DEMO_METER_ID);
    const live = await until('a live reading', async () => services.history.store.latest()!, (l) => l.ts > before.ts, 20_000);
    expect(live.importWh).toBeGreaterThanOrEqual(before.importWh);
    expect(events).toContain('meter.reading');
    expect((await ask('app.info', {})).mode).toBe('demo');
  });

  it('plays the chain: its local chain is the ledger, with the meter\'s last closed day anchored and verified', async () => {
    expect(chain).not.toBeNull();
    const status = await ask('ledger.status', {});
    expect(status).toMatchObject({ mode: 'demo', state: 'connected', rpcUrl: chain!.url, meterId: meterIdOf(DEMO_METER_ID) });
    expect(events).toContain('ledger.statusChanged');
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect((await ask('ledger.verifyDay', { date: yesterday })).ok).toBe(true);
  });

  it('the wallet\'s account adopts the meter and gets coins for gas', async () => {
    await ask('wallet.import', { kind: 'privateKey', privateKey: household.privateKey });
    const owned = await until('the adoption', () => ask('ledger.status', {}), (s) => s.owner === household.address);
    expect(owned.owner).toBe(household.address);
    const provider = new JsonRpcProvider(chain!.url, chain!.chainId, { staticNetwork: true });
    try {
      // Registered first, then funded: the coins follow the owner within a block or two.
      expect(await until('the coins', () => provider.getBalance(household.address), (b) => b > 0n)).toBe(100n * 10n ** 18n);
    } finally {
      provider.destroy();
    }
  });

  it('stops its chain with the app', async () => {
    await services.dispose();
    await expect(fetch(chain!.url, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});
