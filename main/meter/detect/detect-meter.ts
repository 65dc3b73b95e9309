import { WattletError } from '../../api/errors.js';
import { createDecoder } from '../protocols/create-decoder.js';
import type { DecodeEvent } from '../protocols/decoder.js';
import type { SmartyKeys } from '../protocols/dsmr/smarty-frame.js';
import { ModbusDecoder } from '../protocols/modbus/modbus-decoder.js';
import { formatLine } from '../serial/line-settings.js';
import type { SerialPort } from '../serial/serial-port.js';
import { sleep, systemClock, type Clock } from '../session/clock.js';
import type { MeterTarget } from '../session/meter-target.js';
import type { DetectAttempt } from './detect-attempt.js';
import { DETECT_CANDIDATES, type DetectCandidate } from './detect-candidates.js';

export interface DetectOptions {
  /** How long to listen for a push meter per line (DSMR 5 and SML send every 1–4 s). */
  readonly listenMs?: number;
  /** How long to wait for an answer to a probe. */
  readonly probeMs?: number;
  readonly candidates?: readonly DetectCandidate[];
  readonly smarty?: SmartyKeys;
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  /** Called after each attempt (progress for the UI). */
  readonly onAttempt?: (attempt: DetectAttempt) => void;
}

export interface DetectResult {
  readonly target: MeterTarget;
  readonly attempts: readonly DetectAttempt[];
}

/**
 * Find the meter's protocol and line settings on an open port within a bounded time:
 * Σ listenMs over push candidates + Σ probeMs over probes (defaults: 3 × 2.5 s + 3 × 1.5 s).
 * Every attempt is recorded; none found → METER_DETECT_NONE with the attempts summarised.
 */
export async function detectMeter(port: SerialPort, options: DetectOptions = {}): Promise<DetectResult> {
  const clock = options.clock ?? systemClock;
  const attempts: DetectAttempt[] = [];
  for (const c of options.candidates ?? DETECT_CANDIDATES) {
    options.signal?.throwIfAborted();
    const a = await attempt(port, c, options, clock);
    attempts.push(a);
    options.onAttempt?.(a);
    if (a.outcome === 'aborted') options.signal?.throwIfAborted();
    if (a.outcome === 'found') {
      const target: MeterTarget = {
        protocol: c.protocol,
        line: c.line,
        ...(c.protocol === 'dsmr' && options.smarty ? { smarty: options.smarty } : {}),
        ...(c.protocol === 'dlt645' && a.meterId ? { address: a.meterId } : {}),
      };
      return { target, attempts };
    }
  }
  throw new WattletError('METER_DETECT_NONE', 'No meter protocol recognised on this adapter', {
    attempts: attempts.length,
    summary: attempts.map((a) => `${a.protocol}@${formatLine(a.line)}:${a.outcome}(${a.bytesSeen}B)`).join(', '),
  });
}

async function attempt(port: SerialPort, c: DetectCandidate, o: DetectOptions, clock: Clock): Promise<DetectAttempt> {
  const startedAt = clock.now();
  let bytes = 0;
  let framesOk = 0;
  let checksumErrors = 0;
  let framingErrors = 0;
  let meterId: string | null = null;
  let found = false;
  const done = new AbortController();
  const onEvent = (e: DecodeEvent) => {
    if (e.kind === 'error') {
      if (e.code === 'METER_CHECKSUM' || e.code === 'METER_SMARTY_AUTH') checksumErrors++;
      else if (e.code === 'METER_DLT645_EXCEPTION' || e.code === 'METER_MODBUS_EXCEPTION') {
        found = true; // a well-formed refusal is still that protocol talking
        done.abort();
      } else framingErrors++;
      return;
    }
    if (e.kind === 'frame' && (e.what.endsWith('.request') || e.what === 'iec.signon')) return; // our own probe echoed
    framesOk++;
    found = true;
    if (e.kind === 'reading') meterId = e.reading.meterId;
    else if (e.kind === 'frame') meterId = String(e.facts.address ?? e.facts.ident ?? e.facts.slave ?? '') || null;
    done.abort();
  };
  const decoder = createDecoder(c.protocol, onEvent, c.protocol === 'dsmr' && o.smarty ? { smarty: o.smarty } : {});
  if (decoder instanceof ModbusDecoder) decoder.expect(0);
  const off = port.onData((chunk) => {
    bytes += chunk.length;
    decoder.push(chunk, clock.now());
  });
  let aborted = false;
  try {
    await port.setLineSettings(c.line);
    if (c.probe) await port.write(c.probe);
    const signal = o.signal ? AbortSignal.any([o.signal, done.signal]) : done.signal;
    await sleep(clock, c.probe ? (o.probeMs ?? 1500) : (o.listenMs ?? 2500), signal).catch(() => {});
    await decoder.settled();
    aborted = !found && (o.signal?.aborted ?? false);
  } finally {
    off();
  }
  return {
    protocol: c.protocol,
    line: c.line,
    method: c.probe ? 'probe' : 'listen',
    startedAt,
    durationMs: clock.now() - startedAt,
    bytesSeen: bytes,
    framesOk,
    checksumErrors,
    framingErrors,
    outcome: found ? 'found' : aborted ? 'aborted' : bytes > 0 ? 'garbled' : 'silent',
    meterId,
  };
}
