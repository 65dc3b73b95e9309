import { verifyMerkleProof } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { bytes, bytesToBigInt, hex, pad32, quantity } from './bytes.js';
import { keccak256 } from './keccak.js';
import type { Comparison } from './report.js';
import type { RpcAccountProof } from './rpc-shapes.js';

/**
 * EIP-1186 proofs, checked against a state root the header step vouched for. The account proof
 * is a Merkle-Patricia path from the state root to keccak256(address), whose leaf is
 * RLP [nonce, balance, storageRoot, codeHash] (Yellow Paper §4.1); each storage proof is a path
 * from that storageRoot to keccak256(slot), whose leaf is RLP(value) with leading zeros stripped.
 * The RPC's own claims (storageHash, value) are only compared, never used: the values come out
 * of the proofs. @ethereumjs/mpt rebuilds the partial trie from the nodes, keyed by their hashes,
 * so a node that was altered anywhere on the path is simply not found.
 */
export type StorageProofResult =
  | { ok: true; values: Map<string, bigint>; comparisons: Comparison[] }
  | { ok: false; code: 'PROOF_ACCOUNT_MISMATCH' | 'PROOF_STORAGE_MISMATCH'; message: string; comparisons: Comparison[] };

/** keccak256 of empty code: an account with this codeHash has no contract. */
const EMPTY_CODE_HASH = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';

async function prove(root: Uint8Array, key: Uint8Array, nodes: string[]): Promise<Uint8Array | null | 'invalid'> {
  try {
    // useKeyHashingFunction is also the trie's node hash: the proof's nodes are keyed by it.
    return await verifyMerkleProof(keccak256(key), nodes.map(bytes), { root, useKeyHashing: false, useKeyHashingFunction: keccak256 });
  } catch {
    return 'invalid';
  }
}

/** Nodes answer a key as given or as a quantity ('0x0'); both name the same 32-byte slot. */
function slotKey(text: string): string {
  const body = text.slice(2).toLowerCase();
  return body.length > 64 ? text : '0x' + body.padStart(64, '0');
}

export async function verifyStorageProof(args: {
  stateRoot: string;
  address: string;
  slots: readonly string[];
  proof: RpcAccountProof;
}): Promise<StorageProofResult> {
  const { proof } = args;
  const comparisons: Comparison[] = [];
  const account = await prove(bytes(args.stateRoot), bytes(args.address), proof.accountProof);
  if (account === 'invalid' || account === null) {
    comparisons.push({
      subject: 'account proof → stateRoot',
      expected: args.stateRoot,
      actual: account === null ? 'account absent' : 'invalid proof',
      ok: false,
    });
    return { ok: false, code: 'PROOF_ACCOUNT_MISMATCH', message: 'The contract account is not proven under the state root', comparisons };
  }
  const fields = RLP.decode(account);
  if (!Array.isArray(fields) || fields.length !== 4 || fields.some((x) => !(x instanceof Uint8Array))) {
    return { ok: false, code: 'PROOF_ACCOUNT_MISMATCH', message: 'The account leaf is not [nonce, balance, storageRoot, codeHash]', comparisons };
  }
  const [nonce, balance, storageRoot, codeHash] = fields as Uint8Array[];
  comparisons.push(
    { subject: 'account proof → stateRoot', expected: args.stateRoot, actual: 'valid', ok: true },
    { subject: 'account nonce', expected: bytesToBigInt(nonce!).toString(), actual: quantity(proof.nonce).toString(), ok: bytesToBigInt(nonce!) === quantity(proof.nonce) },
    { subject: 'account balance', expected: bytesToBigInt(balance!).toString(), actual: quantity(proof.balance).toString(), ok: bytesToBigInt(balance!) === quantity(proof.balance) },
    { subject: 'account storageRoot', expected: hex(storageRoot!), actual: proof.storageHash.toLowerCase(), ok: hex(storageRoot!) === proof.storageHash.toLowerCase() },
    { subject: 'account codeHash', expected: hex(codeHash!), actual: proof.codeHash.toLowerCase(), ok: hex(codeHash!) === proof.codeHash.toLowerCase() },
    { subject: 'contract has code', expected: 'code', actual: hex(codeHash!) === EMPTY_CODE_HASH ? 'no code' : 'code', ok: hex(codeHash!) !== EMPTY_CODE_HASH },
  );
  if (!comparisons.every((c) => c.ok)) {
    return { ok: false, code: 'PROOF_ACCOUNT_MISMATCH', message: 'The account fields do not match the proven account', comparisons };
  }
  const values = new Map<string, bigint>();
  for (const slot of args.slots) {
    const slotBytes = pad32(bytes(slot));
    const slotHex = hex(slotBytes);
    const entry = proof.storageProof.find((e) => slotKey(e.key) === slotHex);
    if (!entry) {
      comparisons.push({ subject: `storage ${slotHex}`, expected: 'proof', actual: 'missing', ok: false });
      return { ok: false, code: 'PROOF_STORAGE_MISMATCH', message: 'A storage proof is missing', comparisons };
    }
    const leaf = await prove(storageRoot!, slotBytes, entry.proof);
    if (leaf === 'invalid') {
      comparisons.push({ subject: `storage proof ${slotHex} → storageRoot`, expected: hex(storageRoot!), actual: 'invalid proof', ok: false });
      return { ok: false, code: 'PROOF_STORAGE_MISMATCH', message: 'A storage proof does not lead to the storage root', comparisons };
    }
    let value = 0n;
    if (leaf !== null) {
      const decoded = RLP.decode(leaf);
      if (!(decoded instanceof Uint8Array) || decoded.length > 32) {
        return { ok: false, code: 'PROOF_STORAGE_MISMATCH', message: 'A storage leaf is not an RLP string', comparisons };
      }
      value = bytesToBigInt(decoded);
    }
    const claimed = quantity(entry.value);
    comparisons.push({ subject: `storage ${slotHex}`, expected: '0x' + value.toString(16), actual: '0x' + claimed.toString(16), ok: value === claimed });
    if (value !== claimed) {
      return { ok: false, code: 'PROOF_STORAGE_MISMATCH', message: 'A storage value differs from its proof', comparisons };
    }
    values.set(slotHex, value);
  }
  return { ok: true, values, comparisons };
}
