// The ledger room: EnergyLedger bindings, the local chain and demo operator, the household's
// verification (isomorphic, under verify/ and tree/) and attestations. The interval leaf and day
// tree (tree/) are the one definition the market settles on too. Wiring: `createLedger(ports)`
// over the `ChainConnection` port (chain/), see README.md.
export * from './day.js';
export * from './contract-artifact.js';
export * from './tree/index.js';
export * from './verify/index.js';
export * from './rpc/index.js';
export * from './chain/index.js';
export * from './operator/index.js';
export * from './attest/index.js';
export * from './checkpoint/index.js';
export * from './dispute/index.js';
export * from './ledger-service.js';
export * from './handlers.js';
export * from './create-ledger.js';
