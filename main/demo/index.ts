/**
 * The demo room: Wattlet without a meter or a chain, for a first look and for the end-to-end
 * tests. It stands in for those two parts and for nothing else, and is plugged by the composition
 * root like any other room:
 *
 *   const demo = createDemo({ meter: selector, serial, days, history, chain, wallet, bus, logger, now });
 *   // → { meter: MeterSource | null, handovers: HandoverSource | null, ready, tokens(), handlers, dispose }
 *
 *   demo-meter.ts     meter choice 'demo': backfills the simulated household's past into the history
 *                     (demo-history.ts), then a simulated DSMR 5 meter continuing it on a simulated
 *                     FTDI P1 cable, which the meter room reads through its real driver
 *   demo-chain.ts     no ledger endpoint in Settings: a local Hardhat chain with EnergyLedger, lent to
 *                     the ledger room's ChainConnection; the demo operator anchors the last closed days
 *                     from the history at start and every ten minutes
 *   meter-adoption.ts the wallet's account becomes the meter's owner and gets coins for gas (on start
 *                     and on every 'wallet.changed')
 *   demo-tokens.ts    the demo currencies (resources/contracts/DemoToken.sol): Demo Euro (EURD) and Demo
 *                     Yuan (CNYD), 6 decimals, so offers are priced in the household's money
 *   demo-faucet.ts    every wallet account, once: coins for fees, 500 EURD and 5,000 CNYD (a neighbour's
 *                     imported key can buy)
 *   demo-clock.ts     "skip to after delivery": the chain's clock moved forward (evm_setNextBlockTimestamp,
 *                     evm_mine) and the demo operator anchoring the days closed by then; demo.fastForward
 *   projected-readings.ts  what the simulated meter will read in quarters ahead of the wall clock, which
 *                     the operator anchors once the chain's clock has passed them (the history has no
 *                     readings of the future; the model is the meter's own, deterministic)
 *   demo-handlers.ts  demo.status (chain played, its clock, its currencies) and demo.fastForward
 *
 * Every timer, provider and chain it starts is disposed with it.
 */
export { createDemo, type Demo, type DemoPorts } from './create-demo.js';
export { demoReadingSource, projectedDay } from './projected-readings.js';
export { type DemoTokenInfo } from './demo-tokens.js';
export { DEMO_METER_ID, DEMO_SEED, DEMO_TARIFF_ID, backfillDemoHistory } from './demo-history.js';
