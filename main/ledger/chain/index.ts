export * from './demo-accounts.js';
export * from './local-chain.js';
export * from './ledger-contract.js';
export * from './meter-id.js';
export * from './demo-ledger.js';
export * from './chain-connection.js';
