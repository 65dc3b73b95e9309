// The household's verification, isomorphic (no Node, no DOM: tsconfig.isomorphic.json), so the
// renderer re-runs it on the raw evidence. verifyDay walks one meter-day under either design
// (region anchors: two Merkle levels; per meter); ProofVerifier checks Merkle proofs over bytes
// in any order (buyers, auditors, benchmarks); header-chain.ts links block B to the household's
// pinned checkpoint by parent hashes. See ../README.md "Verification".
export * from './report.js';
export * from './bytes.js';
export * from './keccak.js';
export * from './anchor-slots.js';
export * from './evidence-slots.js';
export * from './rpc-shapes.js';
export * from './header-hash.js';
export * from './storage-proof.js';
export * from './compare-readings.js';
export * from './proof-verifier.js';
export * from './leaf-proofs.js';
export * from './region-step.js';
export * from './anchor-step.js';
export * from './finality.js';
export * from './header-chain.js';
export * from './verify-day.js';
