import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { composeServices } from '../../../main/compose.js';
import { silentLogger, type Logger } from '../../../main/logging/logger.js';
import { startPrivateKeyring, type PrivateKeyring } from '../wallet/support/private-keyring.js';

// Demo mode starts its chain in the background (the window opens at once), so the app may be
// closed at any moment of that start: while Hardhat boots, while the contract deploys, while the
// faucet deploys the demo currencies or funds the accounts. Each such stop must end quietly:
// dispose resolves, `ready` answers null, no request rejects with no one listening (vitest fails
// the file on an unhandled rejection), and nothing is logged as a failure of the start.
let keyring: PrivateKeyring;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => void unhandled.push(e);
beforeAll(async () => {
  keyring = await startPrivateKeyring({ unlocked: true });
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  keyring?.stop();
});

async function startAndStop(afterMs: number | 'ready'): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'wattlet-demo-stop-'));
  const errors: string[] = [];
  const logger: Logger = { ...silentLogger, error: (message) => void errors.push(message) };
  try {
    const t0 = Date.now();
    const services = await composeServices({ dataDir: join(dir, 'data'), host: 'cli', version: '0.0.0', meter: 'demo', demoDays: 1, parts: { logger } });
    if (afterMs === 'ready') await services.demo.ready;
    else await new Promise((ok) => setTimeout(ok, afterMs));
    const took = Date.now() - t0;
    await expect(services.dispose()).resolves.toBeUndefined();
    const ready = await services.demo.ready;
    // Either it was up before the stop (and is stopped now) or the stop came first: never a throw.
    expect(ready === null || typeof ready.url === 'string').toBe(true);
    await new Promise((ok) => setTimeout(ok, 300));
    expect(unhandled).toEqual([]);
    expect(errors.filter((m) => /demo|anchor|fund/.test(m))).toEqual([]);
    return took;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The last steps of the start (currencies, adoption, funding) take a fraction of it: stops are
// spread over the whole start as measured on this machine now, densest near its end.
let full = 0;
it('a whole start, then stopped', async () => {
  full = await startAndStop('ready');
  expect(full).toBeGreaterThan(0);
}, 60_000);

for (const fraction of [0, 0.3, 0.6, 0.8, 0.9, 0.95, 1]) {
  it(`stopped at ${fraction * 100} % of a start, demo mode ends quietly`, async () => {
    await startAndStop(Math.round(full * fraction));
  }, 60_000);
}
