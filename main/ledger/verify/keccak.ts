import { keccak_256 as nobleKeccak256, type Keccak } from '@noble/hashes/sha3.js';
import { createKeccak, type IHasher } from 'hash-wasm';

/**
 * The one keccak256 of verify/ and tree/. Pure-JS @noble/hashes until `ready()` has compiled
 * hash-wasm's WebAssembly keccak, then that (about ten times faster on 64-byte inputs, the
 * size of a Merkle node): both are maintained libraries, no crypto is written here, and the
 * digests are the same bytes (the ledger tests, which run on the WebAssembly one once it is
 * loaded, hold trees and proofs byte-equal to StandardMerkleTree and ethers; npm run
 * bench:verify compares the two first). Isomorphic: WebAssembly exists in Node and in the
 * renderer. Loading starts when this module is imported; `verifyDay` awaits it. Where it cannot
 * be compiled (a Content-Security-Policy without 'wasm-unsafe-eval'), `ready()` resolves false
 * and noble stays in use, so every caller, synchronous ones included, always gets a correct hash;
 * only the speed differs.
 */
let loaded: IHasher | null = null;
let wasm: IHasher | null = null; // loaded, unless noble was preferred
let preferred: 'wasm' | 'noble' = 'wasm';
let loading: Promise<boolean> | null = null;

/** Compiles the WebAssembly keccak once; resolves whether it loaded (false: noble stays). Never rejects. */
export function ready(): Promise<boolean> {
  loading ??= createKeccak(256).then(
    (hasher) => {
      loaded = hasher;
      if (preferred === 'wasm') wasm = hasher;
      return true;
    },
    () => false,
  );
  return loading;
}

void ready();

/** Whether the WebAssembly keccak is in use (for benchmarks and diagnostics). */
export function keccakBackend(): 'wasm' | 'noble' {
  return wasm ? 'wasm' : 'noble';
}

/** Side-by-side measurement (npm run bench:verify): 'noble' forces the pure-JS hash until 'wasm' is asked again. */
export function preferKeccak(backend: 'wasm' | 'noble'): void {
  preferred = backend;
  wasm = backend === 'wasm' ? loaded : null;
}

/** keccak256 of `data` as 32 new bytes. Synchronous: one hasher, init/update/digest in one go. */
export function keccak256(data: Uint8Array): Uint8Array {
  return wasm ? wasm.init().update(data).digest('binary') : nobleKeccak256(data);
}

/** keccak256(keccak256(data)): StandardMerkleTree's leaf hash, without handing the middle digest back and forth. */
export function keccak256Twice(data: Uint8Array): Uint8Array {
  if (!wasm) return nobleKeccak256(nobleKeccak256(data));
  const inner = wasm.init().update(data).digest('binary');
  return wasm.init().update(inner).digest('binary');
}

/**
 * One noble sponge kept blank and one reused for every hash: cloning the blank state (200 bytes)
 * into the working one replaces `new Keccak` per call, and `digestInto` writes the caller's
 * buffer, so the pure-JS path allocates nothing per hash.
 */
const nobleBlank = nobleKeccak256.create() as Keccak;
const nobleWork = nobleKeccak256.create() as Keccak;

/**
 * keccak256 of `data` written into `out` (exactly 32 bytes): the proof verifier's hot path
 * (verify/proof-verifier.ts). hash-wasm's digest is always a new array (its API has no digest
 * into a buffer), so the WebAssembly path copies it into `out`; noble's writes `out` itself.
 */
export function keccak256Into(data: Uint8Array, out: Uint8Array): void {
  if (wasm) {
    out.set(wasm.init().update(data).digest('binary'));
    return;
  }
  nobleBlank._cloneInto(nobleWork);
  nobleWork.update(data);
  nobleWork.digestInto(out);
}

/** The pure-JS implementation, whatever `ready()` did: the reference the tests compare against. */
export const referenceKeccak256: (data: Uint8Array) => Uint8Array = nobleKeccak256;
