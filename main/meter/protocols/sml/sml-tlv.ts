/**
 * SML 1.04 (BSI TR-03109-1 Anlage IV) type-length-value encoding. The TL byte: bit 7 "another TL
 * byte follows", bits 6..4 type (000 octet string, 100 boolean, 101 integer, 110 unsigned,
 * 111 list), bits 3..0 length nibble; continuation bytes append their nibble. For scalars the
 * length counts the TL bytes themselves; for lists it is the number of elements. 0x00 ends a
 * message; 0x01 (an octet string of length 1, no data) marks an optional value as absent.
 */
export type SmlValue =
  | { readonly t: 'octets'; readonly v: Uint8Array }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'int'; readonly v: bigint; readonly size: number }
  | { readonly t: 'uint'; readonly v: bigint; readonly size: number }
  | { readonly t: 'list'; readonly v: SmlValue[] }
  | { readonly t: 'absent' }
  | { readonly t: 'end' };

export class SmlSyntaxError extends Error {}

const MAX_DEPTH = 16;
const MAX_LIST = 1024;

/** Parse one value at buf[pos]; returns the value and the position after it. Throws SmlSyntaxError. */
export function parseSmlValue(buf: Uint8Array, pos: number, end: number, depth = 0): [SmlValue, number] {
  if (pos >= end) throw new SmlSyntaxError('truncated');
  if (depth > MAX_DEPTH) throw new SmlSyntaxError('nested too deep');
  let b = buf[pos]!;
  if (b === 0x00) return [{ t: 'end' }, pos + 1];
  const type = (b >> 4) & 0x07;
  let len = b & 0x0f;
  let tl = 1;
  while (b & 0x80) {
    if (pos + tl >= end) throw new SmlSyntaxError('truncated TL');
    b = buf[pos + tl]!;
    if ((b & 0x70) !== 0) throw new SmlSyntaxError('bad TL continuation');
    len = (len << 4) | (b & 0x0f);
    tl++;
    if (tl > 4) throw new SmlSyntaxError('TL too long');
  }
  if (type === 7) {
    if (len > MAX_LIST) throw new SmlSyntaxError('list too long');
    const items: SmlValue[] = [];
    let p = pos + tl;
    for (let k = 0; k < len; k++) {
      const [v, next] = parseSmlValue(buf, p, end, depth + 1);
      items.push(v);
      p = next;
    }
    return [{ t: 'list', v: items }, p];
  }
  const n = len - tl;
  if (n < 0 || pos + len > end) throw new SmlSyntaxError('bad length');
  const s = pos + tl;
  const next = pos + len;
  switch (type) {
    case 0:
      return [n === 0 ? { t: 'absent' } : { t: 'octets', v: buf.slice(s, s + n) }, next];
    case 4:
      if (n !== 1) throw new SmlSyntaxError('bad boolean');
      return [{ t: 'bool', v: buf[s] !== 0 }, next];
    case 5:
    case 6: {
      if (n < 1 || n > 8) throw new SmlSyntaxError('bad integer size');
      let v = 0n;
      for (let k = 0; k < n; k++) v = (v << 8n) | BigInt(buf[s + k]!);
      if (type === 5) return [{ t: 'int', v: BigInt.asIntN(n * 8, v), size: n }, next];
      return [{ t: 'uint', v, size: n }, next];
    }
    default:
      throw new SmlSyntaxError(`unknown type ${type}`);
  }
}

function tl(type: number, len: number, isList: boolean): number[] {
  // Scalars: the length includes the TL bytes, so one more TL byte may be needed.
  let nibbles = 1;
  if (isList) {
    while (len >= 16 ** nibbles) nibbles++;
  } else {
    while (len + nibbles >= 16 ** nibbles) nibbles++;
    len += nibbles;
  }
  const out: number[] = [];
  for (let k = nibbles - 1; k >= 0; k--) {
    const nib = (len >> (4 * k)) & 0x0f;
    const more = k > 0 ? 0x80 : 0;
    out.push(more | (out.length === 0 ? type << 4 : 0) | nib);
  }
  return out;
}

/** Encode (simulated meters, tests). */
export function encodeSmlValue(v: SmlValue, out: number[]): void {
  switch (v.t) {
    case 'end':
      out.push(0x00);
      return;
    case 'absent':
      out.push(0x01);
      return;
    case 'octets':
      out.push(...tl(0, v.v.length, false), ...v.v);
      return;
    case 'bool':
      out.push(0x42, v.v ? 1 : 0);
      return;
    case 'int':
    case 'uint': {
      out.push(...tl(v.t === 'int' ? 5 : 6, v.size, false));
      const x = BigInt.asUintN(v.size * 8, v.v);
      for (let k = v.size - 1; k >= 0; k--) out.push(Number((x >> BigInt(8 * k)) & 0xffn));
      return;
    }
    case 'list':
      out.push(...tl(7, v.v.length, true));
      for (const item of v.v) encodeSmlValue(item, out);
      return;
  }
}

export const sml = {
  octets: (v: Uint8Array | string): SmlValue => ({ t: 'octets', v: typeof v === 'string' ? new TextEncoder().encode(v) : v }),
  u8: (v: number): SmlValue => ({ t: 'uint', v: BigInt(v), size: 1 }),
  u16: (v: number): SmlValue => ({ t: 'uint', v: BigInt(v), size: 2 }),
  u32: (v: number): SmlValue => ({ t: 'uint', v: BigInt(v), size: 4 }),
  u64: (v: number | bigint): SmlValue => ({ t: 'uint', v: BigInt(v), size: 8 }),
  i8: (v: number): SmlValue => ({ t: 'int', v: BigInt(v), size: 1 }),
  i32: (v: number): SmlValue => ({ t: 'int', v: BigInt(v), size: 4 }),
  i64: (v: number | bigint): SmlValue => ({ t: 'int', v: BigInt(v), size: 8 }),
  list: (...v: SmlValue[]): SmlValue => ({ t: 'list', v }),
  absent: { t: 'absent' } as SmlValue,
  end: { t: 'end' } as SmlValue,
};
