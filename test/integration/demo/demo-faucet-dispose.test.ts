import { afterAll, beforeAll, expect, it } from 'vitest';
import { DemoFaucet } from '../../../main/demo/demo-faucet.js';
import { startHardhatNode, type HardhatNode } from '../wallet/support/hardhat-node.js';

// The app may close while demo mode's faucet is deploying the demo currencies (seen in a full run:
// the provider destroyed under the deployment left a request rejected with no one listening, and
// the start threw into dispose). Dispose waits for the step under way, then closes the provider.
let chain: HardhatNode;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => void unhandled.push(e);
beforeAll(async () => {
  chain = await startHardhatNode();
  process.on('unhandledRejection', onUnhandled);
}, 60_000);
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  chain?.stop();
});

it('disposed while deploying the demo currencies, it lets the deployment finish and leaves no rejection behind', async () => {
  const faucet = new DemoFaucet({ url: chain.url, chainId: 31337 });
  const start = faucet.start();
  await faucet.dispose();
  const tokens = await start;
  expect(tokens.map((t) => t.symbol)).toEqual(['EURD', 'CNYD']);
  await new Promise((ok) => setTimeout(ok, 300));
  expect(unhandled).toEqual([]);
}, 60_000);

it('disposed while funding, it stops after the account under way and funds nothing more', async () => {
  const faucet = new DemoFaucet({ url: chain.url, chainId: 31337 });
  await faucet.start();
  const addresses = Array.from({ length: 6 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, '0')}`);
  const funding = faucet.fund(addresses);
  await faucet.dispose();
  const funded = await funding;
  expect(funded.length).toBeLessThan(addresses.length);
  await new Promise((ok) => setTimeout(ok, 300));
  expect(unhandled).toEqual([]);
}, 60_000);
