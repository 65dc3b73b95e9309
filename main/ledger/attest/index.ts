export * from './transaction-sender.js';
export * from './attestation.js';
