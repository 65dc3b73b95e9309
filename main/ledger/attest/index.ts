export * from './transaction-sender.js';
export * from './attestation.js';
export * from './wallet-sender.js';
