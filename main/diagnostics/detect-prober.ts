import type { ProbeAttempt, ProbeOutcome } from '../api/diagnostics.js';
import { isError } from '../api/errors.js';
import type { DetectAttempt, DetectOptions, DetectResult } from '../meter/detect/index.js';
import { LINE_8N1_115200, parseFormat, type LineSettings, type SerialPort } from '../meter/index.js';
import type { FrameTap } from './frame-log.js';
import { LinkMonitor } from './link-monitor.js';
import { observePort } from './observed-port.js';
import type { Prober, ProbeRunOptions } from './probe.js';

export interface DetectProberDeps {
  /** A closed port on the device to probe (the first adapter when deviceId is null). */
  openPort(deviceId: string | null): Promise<SerialPort> | SerialPort;
  /** meter/detect's detectMeter, injected so tests and the CLI choose their timing. */
  detect(port: SerialPort, options: DetectOptions): Promise<DetectResult>;
  readonly options?: Omit<DetectOptions, 'signal' | 'onAttempt'>;
  /** What the probe hears goes to the frame log too (as raw bytes: each attempt decodes its own way). */
  readonly tap?: FrameTap | null;
}

function lineOf(text: string): LineSettings {
  const [baud, format] = text.trim().split(/\s+/);
  return parseFormat(Number(baud), format ?? '8N1');
}

function outcomeOf(a: DetectAttempt): ProbeOutcome {
  switch (a.outcome) {
    case 'found':
      return 'ok';
    case 'silent':
      return a.method === 'probe' ? 'timeout' : 'no-data';
    case 'aborted':
      return 'cancelled';
    case 'garbled':
      return a.checksumErrors > 0 ? 'checksum' : 'garbled';
  }
}

export function probeAttemptOf(a: DetectAttempt, index: number): ProbeAttempt {
  return {
    index,
    protocol: a.protocol,
    line: lineOf(a.line),
    outcome: outcomeOf(a),
    startedAt: a.startedAt,
    durationMs: a.durationMs,
    bytesIn: a.bytesSeen,
    framesOk: a.framesOk,
    checksumErrors: a.checksumErrors,
    framingErrors: a.framingErrors,
    error: null,
  };
}

/**
 * The auto-probe over the protocols room's detector (meter/detect), which tries push protocols
 * first and sends each request/response protocol its read-only discovery request. Every attempt
 * is reported as it ends. "Nothing found" is a result, not a failure.
 */
export class DetectProber implements Prober {
  constructor(readonly deps: DetectProberDeps) {}

  async run({ deviceId, signal, onAttempt }: ProbeRunOptions) {
    const attempts: ProbeAttempt[] = [];
    const opened = await this.deps.openPort(deviceId);
    // Its own monitor: probe traffic must not count against the session's link.
    const tap = this.deps.tap;
    const port = tap ? observePort(opened, new LinkMonitor({ tap }), { deviceId, protocol: () => null, decoder: () => null }) : opened;
    try {
      await port.open(LINE_8N1_115200);
      const r = await this.deps.detect(port, {
        ...this.deps.options,
        signal,
        onAttempt: (a) => {
          const p = probeAttemptOf(a, attempts.length);
          attempts.push(p);
          onAttempt(p);
        },
      });
      return { attempts, found: { protocol: r.target.protocol, line: { ...r.target.line } } };
    } catch (e) {
      if (isError(e, 'METER_DETECT_NONE') || signal.aborted) return { attempts, found: null };
      throw e;
    } finally {
      await port.close().catch(() => undefined); // the probe's result (or its error) is what matters
    }
  }
}
