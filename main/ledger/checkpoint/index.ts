// The household's pinned checkpoint (LEDGER.md: "a checkpoint the user pins is the only outside
// anchor"): read from a line on the bill, a file or a second endpoint (checkpoint-text.ts), kept
// in the data folder (checkpoint-store.ts), and the headers between it and a proven block fetched
// for verify/header-chain.ts to link by parent hash (fetch-header-chain.ts).
export * from './checkpoint-text.js';
export * from './checkpoint-store.js';
export * from './fetch-header-chain.js';
