/**
 * Where the redacted text goes decides what may stay in it. Secrets that move money (recovery
 * words, keys, tokens, RPC credentials) and what locates the household (IPs, user names, serial
 * numbers, places) go in both cases; only public chain data differs:
 *  - 'outbound' (support bundle: it leaves the household): EVM addresses and chain hashes are
 *    replaced too, because they tie the bundle to the household's on-chain history;
 *  - 'local-log' (the log file on the household's own disk): EVM addresses anywhere, and chain
 *    hashes in fields named for them (txHash, blockHash, root …), stay readable, so the log can be
 *    matched with a block explorer. A bare 64-hex value in free text is still replaced: nothing
 *    tells a transaction hash from a private key there.
 */
export type RedactionPolicy = 'outbound' | 'local-log';

export interface RedactionContext {
  /** Known identifiers that locate the household (meter ids, adapter serial numbers). */
  readonly identifiers?: Iterable<string>;
  readonly homeDir?: string | null;
  readonly userName?: string | null;
  readonly hostName?: string | null;
  /** Key of the identifier hashes. Random per redactor by default: hashes cannot be linked across bundles. */
  readonly hashKey?: Uint8Array;
  /** Default 'outbound'. */
  readonly policy?: RedactionPolicy;
}
