import { RLP } from '@ethereumjs/rlp';
import { bytes, hex, intBytes, quantity } from './bytes.js';
import { keccak256 } from './keccak.js';
import type { Comparison } from './report.js';

/**
 * Block header fields in RLP order (Yellow Paper §4.4.3, "The Block"), then each fork's
 * additions: London EIP-1559 baseFeePerGas; Shanghai EIP-4895 withdrawalsRoot; Cancun EIP-4844
 * blobGasUsed + excessBlobGas and EIP-4788 parentBeaconBlockRoot; Prague EIP-7685 requestsHash.
 * (Paris, EIP-3675, kept the field list: difficulty 0, mixHash = prevRandao, nonce 0.)
 * The names are those of the JSON-RPC block object.
 */
type Kind = 'hash' | 'address' | 'bloom' | 'nonce' | 'bytes' | 'int';
interface Field {
  readonly name: string;
  readonly kind: Kind;
}
const f = (name: string, kind: Kind): Field => ({ name, kind });

const LEGACY: readonly Field[] = [
  f('parentHash', 'hash'),
  f('sha3Uncles', 'hash'),
  f('miner', 'address'),
  f('stateRoot', 'hash'),
  f('transactionsRoot', 'hash'),
  f('receiptsRoot', 'hash'),
  f('logsBloom', 'bloom'),
  f('difficulty', 'int'),
  f('number', 'int'),
  f('gasLimit', 'int'),
  f('gasUsed', 'int'),
  f('timestamp', 'int'),
  f('extraData', 'bytes'),
  f('mixHash', 'hash'),
  f('nonce', 'nonce'),
];

/** Each fork's header additions, in order; a header has a prefix of these groups, whole. */
export const forkGroups: ReadonlyArray<{ readonly fork: string; readonly fields: readonly Field[] }> = [
  { fork: 'london', fields: [f('baseFeePerGas', 'int')] },
  { fork: 'shanghai', fields: [f('withdrawalsRoot', 'hash')] },
  {
    fork: 'cancun',
    fields: [f('blobGasUsed', 'int'), f('excessBlobGas', 'int'), f('parentBeaconBlockRoot', 'hash')],
  },
  { fork: 'prague', fields: [f('requestsHash', 'hash')] },
];

/** Block-object members that are not header fields (the body, or values derived from it). */
const NOT_HEADER = new Set(['hash', 'size', 'totalDifficulty', 'transactions', 'uncles', 'withdrawals']);

const LENGTH: Partial<Record<Kind, number>> = { hash: 32, address: 20, bloom: 256, nonce: 8 };

export type HeaderResult =
  | { ok: true; fork: string; computedHash: string; comparisons: Comparison[] }
  | { ok: false; code: 'PROOF_UNKNOWN_HEADER_FIELD' | 'PROOF_HEADER_FORK' | 'PROOF_HEADER_HASH'; message: string; fork: string | null; comparisons: Comparison[] };

function encodeField(field: Field, value: unknown): Uint8Array {
  if (typeof value !== 'string') throw new RangeError(`${field.name} is not a hex string`);
  if (field.kind === 'int') return intBytes(quantity(value));
  const b = bytes(value);
  const len = LENGTH[field.kind];
  if (len !== undefined && b.length !== len) throw new RangeError(`${field.name} must be ${len} bytes`);
  return b;
}

/**
 * Re-hashes a JSON-RPC block header: which fork's field list applies is read from the fields
 * present, and must be a whole prefix of the fork groups; any member this code does not know is
 * refused, never guessed at (a new fork, or a consensus engine such as AuRa with seal fields).
 */
export function verifyHeaderHash(block: Record<string, unknown>): HeaderResult {
  const known = new Set<string>([...NOT_HEADER, ...LEGACY.map((x) => x.name)]);
  for (const g of forkGroups) for (const x of g.fields) known.add(x.name);
  const unknown = Object.keys(block).filter((k) => !known.has(k));
  if (unknown.length) {
    return {
      ok: false,
      code: 'PROOF_UNKNOWN_HEADER_FIELD',
      message: `Unknown header field(s): ${unknown.join(', ')}`,
      fork: null,
      comparisons: unknown.map((k) => ({ subject: `field ${k}`, expected: '(none)', actual: String(block[k]).slice(0, 80), ok: false })),
    };
  }
  const fields: Field[] = [...LEGACY];
  let fork = 'legacy';
  let closed = false;
  for (const g of forkGroups) {
    const present = g.fields.filter((x) => block[x.name] !== undefined && block[x.name] !== null).length;
    if (present === 0) {
      closed = true;
      continue;
    }
    if (closed || present !== g.fields.length) {
      return {
        ok: false,
        code: 'PROOF_HEADER_FORK',
        message: `Header fields do not match any fork (at ${g.fork})`,
        fork: null,
        comparisons: g.fields.map((x) => ({ subject: `field ${x.name}`, expected: 'present', actual: block[x.name] === undefined ? 'absent' : 'present', ok: false })),
      };
    }
    fields.push(...g.fields);
    fork = g.fork;
  }
  let encoded: Uint8Array[];
  try {
    encoded = fields.map((x) => {
      if (block[x.name] === undefined) throw new RangeError(`${x.name} missing`);
      return encodeField(x, block[x.name]);
    });
  } catch (e) {
    return {
      ok: false,
      code: 'PROOF_HEADER_HASH',
      message: `Malformed header: ${e instanceof Error ? e.message : String(e)}`,
      fork,
      comparisons: [],
    };
  }
  const computedHash = hex(keccak256(RLP.encode(encoded)));
  const claimed = String(block.hash).toLowerCase();
  const comparisons: Comparison[] = [
    { subject: `keccak256(rlp(header)) [${fork}]`, expected: computedHash, actual: claimed, ok: computedHash === claimed },
  ];
  if (computedHash !== claimed) {
    return { ok: false, code: 'PROOF_HEADER_HASH', message: 'The header does not hash to the block hash', fork, comparisons };
  }
  return { ok: true, fork, computedHash, comparisons };
}
