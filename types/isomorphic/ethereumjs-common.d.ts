/**
 * @ethereumjs/mpt's types name `GenesisState` from @ethereumjs/common, a package it does not
 * depend on; what resolves instead is hardhat's old copy, whose types reference @types/node and
 * would quietly give isomorphic code every Node global. tsconfig.isomorphic.json points the name
 * here. We never build a genesis state; the shape is mpt's own (a map of 0x addresses).
 */
export type GenesisState = Record<`0x${string}`, unknown>;
