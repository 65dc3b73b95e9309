import { toHexUpper } from '../../../common/hex.js';
import type { Quantity, Reading } from '../../reading.js';
import { obisName } from '../obis-name.js';
import { parseSmlValue, SmlSyntaxError, type SmlValue } from './sml-tlv.js';

/** SML message body tags (TR-03109-1 Anlage IV §6). */
export const SML_OPEN_RESPONSE = 0x0101;
export const SML_CLOSE_RESPONSE = 0x0201;
export const SML_GET_LIST_RESPONSE = 0x0701;

/** DLMS unit codes (IEC 62056-62) → the model's unit and the power of ten to get there. */
const UNITS: Record<number, { unit: Quantity['unit']; exp: number }> = {
  30: { unit: 'Wh', exp: 0 },
  27: { unit: 'W', exp: 0 },
  28: { unit: 'VA', exp: 0 },
  29: { unit: 'var', exp: 0 },
  32: { unit: 'varh', exp: 0 },
  33: { unit: 'mA', exp: 3 },
  35: { unit: 'mV', exp: 3 },
  44: { unit: 'mHz', exp: 3 },
  13: { unit: 'dm3', exp: 3 },
};

function num(v: SmlValue | undefined): bigint | null {
  return v && (v.t === 'int' || v.t === 'uint') ? v.v : null;
}

/** SML_Time: choice 1 secIndex, 2 timestamp (UTC seconds), 3 local timestamp → ms or null. */
function smlTime(v: SmlValue | undefined): number | null {
  if (!v || v.t !== 'list' || v.v.length !== 2) return null;
  const tag = num(v.v[0]);
  const val = v.v[1]!;
  if (tag === 2n) {
    const s = num(val);
    return s === null ? null : Number(s) * 1000;
  }
  if (tag === 3n && val.t === 'list') {
    const s = num(val.v[0]);
    const offsetMin = num(val.v[1]) ?? 0n;
    return s === null ? null : (Number(s) - Number(offsetMin) * 60) * 1000;
  }
  return null;
}

/** value × 10^scaler × 10^exp as a safe integer (rounded), or null. */
function scaled(value: bigint, scaler: number, exp: number): number | null {
  const e = scaler + exp;
  let r: bigint;
  if (e >= 0) r = value * 10n ** BigInt(e);
  else {
    const d = 10n ** BigInt(-e);
    const q = value / d;
    const rem = value - q * d;
    r = 2n * (rem < 0n ? -rem : rem) >= d ? q + (value < 0n ? -1n : 1n) : q;
  }
  const n = Number(r);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Parse the messages of one SML file (transport payload) into a reading, or null if the file
 * holds no GetListResponse. Throws SmlSyntaxError on malformed TLV.
 */
export function parseSmlFile(payload: Uint8Array, receivedAt: number): Reading | null {
  let pos = 0;
  let reading: Reading | null = null;
  while (pos < payload.length) {
    if (payload[pos] === 0x00) {
      pos++; // fill between messages
      continue;
    }
    const [msg, next] = parseSmlValue(payload, pos, payload.length);
    pos = next;
    if (msg.t !== 'list' || msg.v.length < 5) throw new SmlSyntaxError('message is not a list of 6');
    const body = msg.v[3]!;
    if (body.t !== 'list' || body.v.length !== 2) throw new SmlSyntaxError('bad message body');
    const tag = num(body.v[0]);
    if (tag === BigInt(SML_GET_LIST_RESPONSE)) reading = getListResponse(body.v[1]!, receivedAt);
  }
  return reading;
}

function getListResponse(v: SmlValue, receivedAt: number): Reading {
  if (v.t !== 'list' || v.v.length < 5) throw new SmlSyntaxError('bad GetListResponse');
  const server = v.v[1]!;
  let meterId = server.t === 'octets' ? toHexUpper(server.v) : '';
  let meterTime = smlTime(v.v[3]);
  const quantities: Quantity[] = [];
  const raw: string[] = [];
  const list = v.v[4]!;
  if (list.t !== 'list') throw new SmlSyntaxError('bad valList');
  for (const entry of list.v) {
    if (entry.t !== 'list' || entry.v.length < 6) throw new SmlSyntaxError('bad list entry');
    const [objName, , valTime, unitV, scalerV, value] = entry.v as [SmlValue, SmlValue, SmlValue, SmlValue, SmlValue, SmlValue];
    if (objName.t !== 'octets' || objName.v.length !== 6) {
      raw.push(`? ${JSON.stringify(value, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))}`);
      continue;
    }
    const o = objName.v;
    const name = obisName(o[0]!, o[1]!, o[2]!, o[3]!, o[4]!);
    const unitCode = num(unitV);
    const scaler = Number(num(scalerV) ?? 0n);
    const n = num(value);
    const u = unitCode !== null ? UNITS[Number(unitCode)] : undefined;
    const at = smlTime(valTime);
    if (n !== null && u) {
      const q = scaled(n, scaler, u.exp);
      if (q !== null) {
        if (name === '16.7.0') {
          // Sum active power is signed (import positive): split into the two directions.
          quantities.push({ obis: '1.7.0', value: q > 0 ? q : 0, unit: 'W' }, { obis: '2.7.0', value: q < 0 ? -q : 0, unit: 'W' });
        } else quantities.push(at !== null ? { obis: name, value: q, unit: u.unit, capturedAt: at } : { obis: name, value: q, unit: u.unit });
        continue;
      }
    }
    if (name === '0.0.9' && value.t === 'octets' && !meterId) {
      meterId = toHexUpper(value.v);
      continue;
    }
    if (name === '1.0.0' && meterTime === null) meterTime = smlTime(value);
    raw.push(`${name}=${value.t === 'octets' ? toHexUpper(value.v) : n !== null ? n.toString() : value.t}`);
  }
  return { meterId, protocol: 'sml', meterTime, receivedAt, quantities, raw };
}
