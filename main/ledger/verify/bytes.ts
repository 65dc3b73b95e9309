import { fromHex, toHex } from '../../common/hex.js';

/** 0x-prefixed lowercase hex of bytes. */
export function hex(bytes: Uint8Array): string {
  return '0x' + toHex(bytes);
}

/** Bytes of a 0x-hex string (odd length is refused: RPC data is always whole bytes). */
export function bytes(text: string): Uint8Array {
  const out = fromHex(text);
  if (!out) throw new RangeError(`not hex data: ${text.slice(0, 20)}`);
  return out;
}

/** A JSON-RPC quantity ('0x1a') as bigint. */
export function quantity(text: string): bigint {
  if (!/^0x[0-9a-fA-F]+$/.test(text)) throw new RangeError(`not a quantity: ${text.slice(0, 20)}`);
  return BigInt(text);
}

/** Minimal big-endian bytes, as RLP encodes integers (Yellow Paper appendix B: zero is empty). */
export function intBytes(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('negative integer');
  if (value === 0n) return new Uint8Array(0);
  let h = value.toString(16);
  if (h.length % 2) h = '0' + h;
  return fromHex(h)!;
}

/** Big-endian bytes → bigint (empty is zero). */
export function bytesToBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + toHex(b));
}

export function pad32(b: Uint8Array): Uint8Array {
  if (b.length > 32) throw new RangeError('more than 32 bytes');
  const out = new Uint8Array(32);
  out.set(b, 32 - b.length);
  return out;
}
