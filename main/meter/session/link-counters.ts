import type { DecodeEvent } from '../protocols/decoder.js';

export interface ReconnectRecord {
  readonly at: number;
  readonly reason: string;
}

/** What the session has seen on the link since it started (survives reconnects). */
export interface LinkCounters {
  framesOk: number;
  readings: number;
  checksumErrors: number;
  framingErrors: number;
  timeouts: number;
  exceptions: number;
  reconnects: number;
  /** The most recent reconnects, newest last (bounded). */
  recentReconnects: ReconnectRecord[];
  lastFrameAt: number | null;
  lastErrorCode: string | null;
}

export function emptyCounters(): LinkCounters {
  return {
    framesOk: 0,
    readings: 0,
    checksumErrors: 0,
    framingErrors: 0,
    timeouts: 0,
    exceptions: 0,
    reconnects: 0,
    recentReconnects: [],
    lastFrameAt: null,
    lastErrorCode: null,
  };
}

export const MAX_RECENT_RECONNECTS = 20;

export function countDecodeEvent(c: LinkCounters, e: DecodeEvent, now: number): void {
  if (e.kind === 'error') {
    c.lastErrorCode = e.code;
    if (e.code === 'METER_CHECKSUM' || e.code === 'METER_SMARTY_AUTH') c.checksumErrors++;
    else if (e.code === 'METER_DLT645_EXCEPTION' || e.code === 'METER_MODBUS_EXCEPTION') {
      c.exceptions++;
      c.framesOk++;
      c.lastFrameAt = now;
    } else c.framingErrors++;
    return;
  }
  c.framesOk++;
  c.lastFrameAt = now;
}

export function recordReconnect(c: LinkCounters, at: number, reason: string): void {
  c.reconnects++;
  c.recentReconnects.push({ at, reason });
  if (c.recentReconnects.length > MAX_RECENT_RECONNECTS) c.recentReconnects.shift();
}
