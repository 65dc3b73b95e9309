// Portable evidence (issue 19): a day's dispute pack — my meter's readings, the operator's leaves
// with salts, every proof, the headers to my pinned checkpoint, signed by the household's key on
// the wallet's approval surface — and a one-interval disclosure (one quarter-hour, its salt and
// paths, nothing else of the day). Both re-verified offline (verify-pack.ts; `wattlet ledger
// verify --pack / --interval-proof`). Built by the service from what it verified (build-pack.ts).
export * from './pack-format.js';
export * from './canonical-json.js';
export * from './pack-statement.js';
export * from './verify-pack.js';
export * from './pack-signer.js';
export * from './build-pack.js';
