import type { Quantity, Reading } from '../../reading.js';
import { scaleInteger, unitScaleByName } from '../fixed-point.js';
import { centralEuropeanToUtc } from '../meter-time.js';

/**
 * The data lines of an IEC 62056-21 readout (§6.5): `ID(value*unit)`, several per line allowed,
 * ID an OBIS code in reduced form ("1.8.0", "1-0:1.8.0*255", "F.F", "C.1.0"). Load profiles
 * (P.01, programming mode R5) come as a header
 * `P.01(YYMMDDhhmm)(status)(period min)(channels)(id)(unit)…` followed by one line of values
 * per interval.
 */
const ID_RE = /^(?:[01]-0:)?([0-9A-Z]{1,3}(?:\.[0-9A-Z]{1,3}){1,2})(?:\*\d+)?$/;
/** An OBIS code in the reduced form a data set's ID takes ("1.8.0", "1-0:1.8.0*255", "F.F"). */
export function isDataSetId(id: string): boolean {
  return ID_RE.test(id);
}
const GROUP_RE = /\(([^()]*)\)/g;
const NUM_RE = /^(-?)(\d+)(?:\.(\d+))?$/;

function decimal(text: string): { m: number; d: number } | null {
  const m = NUM_RE.exec(text);
  if (!m || m[2]!.length + (m[3]?.length ?? 0) > 15) return null;
  const digits = m[2]! + (m[3] ?? '');
  return { m: (m[1] ? -1 : 1) * Number(digits), d: m[3]?.length ?? 0 };
}

function ceTime(yymmdd: string, hhmmss: string): number {
  const n = (s: string, i: number) => Number(s.slice(i, i + 2));
  const t = centralEuropeanToUtc(2000 + n(yymmdd, 0), n(yymmdd, 2), n(yymmdd, 4), n(hhmmss, 0), n(hhmmss, 2), hhmmss.length >= 6 ? n(hhmmss, 4) : 0, null);
  return t;
}

/** Quantity from "value*unit", or null. kW load-profile demand is stored in W. */
function valueOf(obis: string, text: string, unitName: string | undefined): Quantity | null {
  const star = text.indexOf('*');
  const num = decimal(star >= 0 ? text.slice(0, star) : text);
  if (!num) return null;
  const unit = star >= 0 ? text.slice(star + 1) : unitName;
  if (unit === undefined) return num.d === 0 ? { obis, value: num.m, unit: 'count' } : null;
  const scale = unitScaleByName(unit);
  if (!scale) return null;
  return { obis, value: scaleInteger(num.m, num.d, scale.exp), unit: scale.unit };
}

export function parseIecDataBlock(body: string, fallbackId: string, receivedAt: number): Reading {
  const quantities: Quantity[] = [];
  const raw: string[] = [];
  let meterId = '';
  let date = '';
  let time = '';
  let profile: { start: number; periodMs: number; ids: string[]; units: string[]; row: number } | null = null;
  for (const lineRaw of body.split(/\r?\n/)) {
    const line = lineRaw.trim();
    if (!line || line === '!') continue;
    if (profile && line.startsWith('(')) {
      const values = [...line.matchAll(GROUP_RE)].map((g) => g[1]!);
      const at = profile.start + (profile.row + 1) * profile.periodMs;
      profile.row++;
      values.forEach((v, k) => {
        const q = profile && k < profile.ids.length ? valueOf(profile.ids[k]!, v, profile.units[k]) : null;
        if (q && Number.isFinite(at)) quantities.push({ ...q, capturedAt: at });
        else raw.push(line);
      });
      continue;
    }
    profile = null;
    const open = line.indexOf('(');
    if (open <= 0 || !line.endsWith(')')) {
      raw.push(line);
      continue;
    }
    const idText = line.slice(0, open);
    const groups = [...line.slice(open).matchAll(GROUP_RE)].map((g) => g[1]!);
    if (idText === 'P.01' && groups.length >= 4) {
      // (1YYMMDDhhmm) with a leading season/century digit, optionally with seconds.
      const t0 = groups[0]!;
      const ts = t0.length === 11 || t0.length === 13 ? t0.slice(1) : t0;
      const channels = Number(groups[3]);
      const ids: string[] = [];
      const units: string[] = [];
      for (let k = 0; k < channels; k++) {
        ids.push((groups[4 + 2 * k] ?? '').replace(/^[01]-0:/, ''));
        units.push(groups[5 + 2 * k] ?? '');
      }
      const start = /^(\d{10}|\d{12})$/.test(ts) ? ceTime(ts.slice(0, 6), ts.slice(6)) : NaN;
      profile = { start, periodMs: Number(groups[2]) * 60_000, ids, units, row: 0 };
      continue;
    }
    const m = ID_RE.exec(idText);
    if (!m || groups.length !== 1) {
      raw.push(line);
      continue;
    }
    const id = m[1]!;
    const v = groups[0]!;
    if (id === 'C.1.0' || id === '0.0.0' || id === '96.1.0') {
      meterId = v;
      continue;
    }
    if (id === '0.9.1' && /^\d{6}$/.test(v)) {
      time = v;
      continue;
    }
    if (id === '0.9.2' && /^\d?\d{6}$/.test(v)) {
      date = v.slice(-6);
      continue;
    }
    const q = valueOf(id, v, undefined);
    if (q) quantities.push(q);
    else raw.push(line);
  }
  const meterTime = date && time ? ceTime(date, time) : null;
  return {
    meterId: meterId || fallbackId,
    protocol: 'iec62056-21',
    meterTime: meterTime !== null && Number.isFinite(meterTime) ? meterTime : null,
    receivedAt,
    quantities,
    raw,
  };
}
