import { toHexUpper } from '../../../common/hex.js';
import type { Quantity, QuantityUnit, Reading } from '../../reading.js';
import { serverIdentity, smlQuirks, type ServerIdentity, type SmlQuirks } from '../../quirks/index.js';
import { scaleInteger } from '../fixed-point.js';
import { pushNormal } from '../normal-form.js';
import { obisName, OBIS_F_CURRENT } from '../obis-name.js';
import { SmlSyntaxError } from './sml-tlv.js';

/** SML message body tags (TR-03109-1 Anlage IV §6). */
export const SML_OPEN_RESPONSE = 0x0101;
export const SML_CLOSE_RESPONSE = 0x0201;
export const SML_GET_LIST_RESPONSE = 0x0701;

/** DLMS unit codes (IEC 62056-62) → the model's unit and the power of ten to get there. */
const UNITS: ({ unit: QuantityUnit; exp: number } | undefined)[] = [];
UNITS[30] = { unit: 'Wh', exp: 0 };
UNITS[27] = { unit: 'W', exp: 0 };
UNITS[28] = { unit: 'VA', exp: 0 };
UNITS[29] = { unit: 'var', exp: 0 };
UNITS[32] = { unit: 'varh', exp: 0 };
UNITS[33] = { unit: 'mA', exp: 3 };
UNITS[35] = { unit: 'mV', exp: 3 };
UNITS[44] = { unit: 'mHz', exp: 3 };
UNITS[13] = { unit: 'dm3', exp: 3 };

/**
 * What repeats from file to file of one meter, strung once per decoder: the server id (its
 * bytes, hex and identity for the quirks table) and the raw entries (ids, firmware, status as
 * hex), which every file carries again.
 */
export class SmlMemo {
  #server = new Uint8Array(0);
  #serverHex = '';
  #identity: ServerIdentity | null = null;
  readonly #raw = new Map<number, { bytes: Uint8Array; text: string }>();

  server(b: Uint8Array, from: number, to: number): { bytes: Uint8Array; hex: string; identity: ServerIdentity | null } {
    const n = to - from;
    const last = this.#server;
    let same = n === last.length;
    for (let k = 0; k < n && same; k++) if (last[k] !== b[from + k]) same = false;
    if (!same) {
      this.#server = b.slice(from, to);
      this.#serverHex = toHexUpper(this.#server);
      this.#identity = serverIdentity(this.#server, 0, n);
    }
    return { bytes: this.#server, hex: this.#serverHex, identity: this.#identity };
  }

  /** `${prefix}=${hex of b[from..to)}`, strung once per distinct entry. */
  raw(prefix: string, b: Uint8Array, from: number, to: number): string {
    let h = to - from;
    for (let k = 0; k < prefix.length; k++) h = (Math.imul(h, 31) + prefix.charCodeAt(k)) | 0;
    for (let k = from; k < to; k++) h = (Math.imul(h, 31) + b[k]!) | 0;
    const hit = this.#raw.get(h);
    if (hit && hit.bytes.length === to - from) {
      let same = true;
      for (let k = 0; k < to - from && same; k++) if (hit.bytes[k] !== b[from + k]) same = false;
      if (same && hit.text.startsWith(prefix) && hit.text.charCodeAt(prefix.length) === 0x3d) return hit.text;
    }
    const text = `${prefix}=${toHexUpper(b.subarray(from, to))}`;
    if (this.#raw.size >= 256) this.#raw.clear();
    this.#raw.set(h, { bytes: b.slice(from, to), text });
    return text;
  }
}

const MAX_DEPTH = 16;
const MAX_LIST = 1024;

/**
 * The messages of one SML file read in place with a cursor: no value tree, numbers as doubles
 * where they fit 53 bits (BigInt only past that). What a GetListResponse carries becomes the
 * reading; every other message is skipped over by its TLV lengths. Throws SmlSyntaxError on
 * malformed TLV (the transport CRC held, so the meter sent it so).
 */
class Cursor {
  p: number;
  /** TL of the value just read: type (0..7) and length (scalars: with TL bytes; lists: items). */
  type = 0;
  len = 0;
  tl = 0;
  constructor(
    readonly b: Uint8Array,
    from: number,
    readonly end: number,
  ) {
    this.p = from;
  }

  /** Read a TL at p (not moving past the value). An end-of-message 0x00 reads as type −1. */
  readTl(): void {
    const b = this.b;
    let p = this.p;
    if (p >= this.end) throw new SmlSyntaxError('truncated');
    let x = b[p]!;
    if (x === 0x00) {
      this.type = -1;
      this.len = 0;
      this.tl = 1;
      return;
    }
    this.type = (x >> 4) & 0x07;
    let len = x & 0x0f;
    let tl = 1;
    while (x & 0x80) {
      if (++p >= this.end) throw new SmlSyntaxError('truncated TL');
      x = b[p]!;
      if ((x & 0x70) !== 0) throw new SmlSyntaxError('bad TL continuation');
      len = (len << 4) | (x & 0x0f);
      if (++tl > 4) throw new SmlSyntaxError('TL too long');
    }
    this.len = len;
    this.tl = tl;
    if (this.type !== 7 && (len < tl || this.p + len > this.end)) throw new SmlSyntaxError('bad length');
  }

  /** Skip one whole value of any type. */
  skip(depth = 0): void {
    if (depth > MAX_DEPTH) throw new SmlSyntaxError('nested too deep');
    this.readTl();
    if (this.type === -1) {
      this.p++;
      return;
    }
    if (this.type === 7) {
      const n = this.len;
      if (n > MAX_LIST) throw new SmlSyntaxError('list too long');
      this.p += this.tl;
      for (let k = 0; k < n; k++) this.skip(depth + 1);
      return;
    }
    this.checkScalarType();
    this.p += this.len;
  }

  checkScalarType(): void {
    const t = this.type;
    if (t !== 0 && t !== 4 && t !== 5 && t !== 6) throw new SmlSyntaxError(`unknown type ${t}`);
    if ((t === 5 || t === 6) && (this.len - this.tl < 1 || this.len - this.tl > 8)) throw new SmlSyntaxError('bad integer size');
    if (t === 4 && this.len - this.tl !== 1) throw new SmlSyntaxError('bad boolean');
  }

  /** Enter a list: its item count, or −1 for an absent optional value (0x01). */
  list(): number {
    this.readTl();
    if (this.type === 0 && this.len === 1) {
      this.p += 1;
      return -1;
    }
    if (this.type !== 7) throw new SmlSyntaxError('expected a list');
    if (this.len > MAX_LIST) throw new SmlSyntaxError('list too long');
    this.p += this.tl;
    return this.len;
  }

  /** An octet string's bounds [from, to) (empty = absent), or null if the value is not one. */
  octets(): [number, number] | null {
    this.readTl();
    if (this.type !== 0) {
      this.skip();
      return null;
    }
    const from = this.p + this.tl;
    this.p += this.len;
    return [from, this.p];
  }

  /** An integer (int or uint) as a number when it is exact, else NaN; null if not an integer (or absent). */
  number(): number | null {
    this.readTl();
    const t = this.type;
    if (t !== 5 && t !== 6) {
      this.skip();
      return null;
    }
    this.checkScalarType();
    const b = this.b;
    const s = this.p + this.tl;
    const n = this.len - this.tl;
    this.p += this.len;
    this.lastSize = n;
    this.lastSigned = t === 5;
    if (n <= 6) {
      let v = 0;
      for (let k = 0; k < n; k++) v = v * 256 + b[s + k]!;
      if (t === 5 && b[s]! & 0x80) v -= 2 ** (8 * n);
      return v;
    }
    let v = 0n;
    for (let k = 0; k < n; k++) v = (v << 8n) | BigInt(b[s + k]!);
    if (t === 5) v = BigInt.asIntN(n * 8, v);
    const x = Number(v);
    return Number.isSafeInteger(x) ? x : NaN;
  }

  lastSize = 0;
  lastSigned = false;
}

/** SML_Time: choice 1 secIndex, 2 timestamp (UTC seconds), 3 local timestamp → ms or null. */
function readTime(c: Cursor): number | null {
  c.readTl();
  if (c.type === 6 && c.len === 5) {
    // Holley DTZ541 sends a bare Unsigned32 secIndex instead of the list (open-sml, smllib).
    c.number();
    return null;
  }
  if (c.type !== 7) {
    c.skip();
    return null;
  }
  if (c.len !== 2) {
    c.skip();
    return null;
  }
  c.p += c.tl;
  const tag = c.number();
  if (tag === 2) {
    const s = c.number();
    return s === null || !Number.isFinite(s) ? null : s * 1000;
  }
  if (tag === 3) {
    const n = c.list();
    if (n !== 3) {
      if (n > 0) for (let k = 0; k < n; k++) c.skip();
      return null;
    }
    const s = c.number();
    const offsetMin = c.number() ?? 0;
    c.skip();
    return s === null || !Number.isFinite(s) ? null : (s - offsetMin * 60) * 1000;
  }
  c.skip();
  return null;
}

export interface SmlFileResult {
  /** The GetListResponse's reading, or null if the file holds none. */
  readonly reading: Reading | null;
  /** The server id the file names (open or list response), for the quirks table. */
  readonly serverId: Uint8Array | null;
}

/**
 * Parse the messages of one SML file (transport payload buf[from..to)) into a reading. Quirks
 * of the meter the file names (quirks table) are applied here, and named on the reading.
 */
export function readSmlFile(buf: Uint8Array, from: number, to: number, receivedAt: number, memo = new SmlMemo()): SmlFileResult {
  const c = new Cursor(buf, from, to);
  let reading: Reading | null = null;
  let serverId: Uint8Array | null = null;
  while (c.p < to) {
    if (buf[c.p] === 0x00) {
      c.p++; // fill between messages
      continue;
    }
    const n = c.list();
    if (n < 5) throw new SmlSyntaxError('message is not a list of 6');
    c.skip(); // transactionId
    c.skip(); // groupNo
    c.skip(); // abortOnError
    if (c.list() !== 2) throw new SmlSyntaxError('bad message body');
    const tag = c.number();
    if (tag === SML_GET_LIST_RESPONSE) {
      const r = getListResponse(c, receivedAt, memo);
      reading = r.reading;
      serverId = r.serverId ?? serverId;
    } else if (tag === SML_OPEN_RESPONSE && serverId === null) {
      // codepage, clientId, reqFileId, serverId, refTime, smlVersion
      const m = c.list();
      if (m >= 4) {
        c.skip();
        c.skip();
        c.skip();
        const o = c.octets();
        if (o && o[1] > o[0]) serverId = memo.server(buf, o[0], o[1]).bytes;
        for (let k = 4; k < m; k++) c.skip();
      } else if (m > 0) for (let k = 0; k < m; k++) c.skip();
    } else c.skip();
    for (let k = 4; k < n; k++) c.skip(); // crc16, endOfSmlMsg
  }
  return { reading, serverId };
}

/** The reading of one SML file (tests and tools; the decoder calls readSmlFile). */
export function parseSmlFile(payload: Uint8Array, receivedAt: number): Reading | null {
  return readSmlFile(payload, 0, payload.length, receivedAt).reading;
}

function getListResponse(c: Cursor, receivedAt: number, memo: SmlMemo): { reading: Reading; serverId: Uint8Array | null } {
  const b = c.b;
  const n = c.list();
  if (n < 5) throw new SmlSyntaxError('bad GetListResponse');
  c.skip(); // clientId
  const server = c.octets();
  const known = server && server[1] > server[0] ? memo.server(b, server[0], server[1]) : null;
  const serverId = known ? known.bytes : null;
  let meterId = known ? known.hex : '';
  c.skip(); // listName
  let meterTime = readTime(c);
  const quirks: SmlQuirks = smlQuirks(known ? known.identity : null);
  const quantities: Quantity[] = [];
  const raw: string[] = [];
  let unread = 0;
  const entries = c.list();
  if (entries < 0) throw new SmlSyntaxError('bad valList');
  for (let k = 0; k < entries; k++) {
    const m = c.list();
    if (m < 6) throw new SmlSyntaxError('bad list entry');
    const name = c.octets();
    c.skip(); // status
    const at = readTime(c);
    const unitCode = c.number();
    const scaler = c.number();
    // The value: a number, an octet string, or something else (kept as its type).
    const valueAt = c.p;
    c.readTl();
    const valueType = c.type;
    let value: number | null = null;
    let octets: [number, number] | null = null;
    if (valueType === 5 || valueType === 6) value = c.number();
    else if (valueType === 0) octets = c.octets();
    else c.skip();
    for (let x = 6; x < m; x++) c.skip(); // valueSignature
    if (!name || name[1] - name[0] !== 6) {
      raw.push(`? ${describe(b, valueAt, c.p)}`);
      unread++;
      continue;
    }
    const o = name[0];
    const A = b[o]!, B = b[o + 1]!, C = b[o + 2]!, D = b[o + 3]!, E = b[o + 4]!, F = b[o + 5]!;
    if (octets && C === 96 && D === 1 && E === 0 && F === OBIS_F_CURRENT && !quirks.identified) {
      // 1-0:96.1.0*255, the device id: libsml names a meter by it where the server id did not.
      quirks.identify(serverIdentity(b, octets[0], octets[1]));
    }
    const u = unitCode !== null && unitCode >= 0 ? UNITS[unitCode] : undefined;
    if (value !== null && u) {
      let v = value;
      if (quirks.unsignedPower && C === 16 && D === 7 && E === 0 && A === 1 && B === 0 && F === OBIS_F_CURRENT && c.lastSigned && c.lastSize <= 2 && v < 0) {
        // DZG DVS-74 (quirks table): 1-0:16.7.0 sent as a too-short signed integer.
        v += 2 ** (8 * c.lastSize);
        quirks.applied('dzg-dvs74-power-sign');
      }
      const q = Number.isFinite(v) ? scaleInteger(v, -(scaler ?? 0), u.exp) : NaN;
      if (Number.isSafeInteger(q)) {
        pushNormal(quantities, A, B, C, D, E, F, q, u.unit, at ?? undefined);
        continue;
      }
    }
    const obis = obisName(A, B, C, D, E, F);
    if (C === 0 && D === 0 && E === 9 && A === 1 && B === 0 && octets && !meterId) {
      meterId = toHexUpper(b.subarray(octets[0], octets[1]));
      continue;
    }
    if (C === 1 && D === 0 && E === 0 && meterTime === null) {
      const save = c.p;
      c.p = valueAt;
      meterTime = readTime(c);
      c.p = save;
    }
    raw.push(octets ? memo.raw(obis, b, octets[0], octets[1]) : `${obis}=${value !== null ? String(value) : describe(b, valueAt, valueAt + 1)}`);
    // A number with a unit the model has no name for, or too large for it: not read. (Octet
    // strings and unit-less numbers — ids, firmware, status words — are kept, not unread.)
    if (value !== null && unitCode !== null) unread++;
  }
  for (let k = 5; k < n; k++) c.skip(); // listSignature, actGatewayTime
  const reading: Reading = {
    meterId,
    protocol: 'sml',
    meterTime,
    receivedAt,
    quantities,
    raw,
    ...(unread ? { unread } : {}),
    ...(quirks.names.length ? { quirks: quirks.names } : {}),
  };
  return { reading, serverId };
}

const TYPE_NAMES = ['octets', '?', '?', '?', 'bool', 'int', 'uint', 'list'];
function describe(b: Uint8Array, at: number, end: number): string {
  if (at >= end) return 'end';
  const x = b[at]!;
  return x === 0x01 ? 'absent' : x === 0x00 ? 'end' : TYPE_NAMES[(x >> 4) & 7]!;
}
