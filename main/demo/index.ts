/**
 * The demo room: Wattlet without a meter or a chain, for a first look and for the end-to-end
 * tests. It stands in for those two parts and for nothing else, and is plugged by the composition
 * root like any other room:
 *
 *   const demo = createDemo({ meter: selector, serial, days, history, chain, wallet, bus, logger, now });
 *   // → { meter: MeterSource | null, handovers: HandoverSource | null, ready, dispose }
 *
 *   demo-meter.ts     meter choice 'demo': backfills the simulated household's past into the history
 *                     (demo-history.ts), then a simulated DSMR 5 meter continuing it on a simulated
 *                     FTDI P1 cable, which the meter room reads through its real driver
 *   demo-chain.ts     no ledger endpoint in Settings: a local Hardhat chain with EnergyLedger, lent to
 *                     the ledger room's ChainConnection; the demo operator anchors the last closed days
 *                     from the history at start and every ten minutes
 *   meter-adoption.ts the wallet's account becomes the meter's owner and gets coins for gas (on start
 *                     and on every 'wallet.changed')
 *
 * Every timer, provider and chain it starts is disposed with it.
 */
export { createDemo, type Demo, type DemoPorts } from './create-demo.js';
export { DEMO_METER_ID, DEMO_SEED, DEMO_TARIFF_ID, backfillDemoHistory } from './demo-history.js';
