import type { ProbeAttempt, ProbeOutcome } from '../api/diagnostics.js';
import { isError } from '../api/errors.js';
import type { DetectAttempt, DetectOptions, DetectResult } from '../meter/detect/index.js';
import { LINE_8N1_115200, type SerialPort } from '../meter/index.js';
import { publishedPort } from '../meter/session/index.js';
import type { FrameTap } from './frame-log.js';
import { namingDevice } from './naming-device.js';
import type { Prober, ProbeRunOptions } from './probe.js';
import { RawFrames } from './raw-frames.js';

export interface DetectProberDeps {
  /** A closed port on the device to probe (the first adapter when deviceId is null). */
  openPort(deviceId: string | null): Promise<SerialPort> | SerialPort;
  /** meter/detect's detectMeter, injected so tests and the CLI choose their timing. */
  detect(port: SerialPort, options: DetectOptions): Promise<DetectResult>;
  readonly options?: Omit<DetectOptions, 'signal' | 'onAttempt'>;
  /** What the probe hears and writes goes to the frame log too (as raw bytes: each attempt decodes its own way). */
  readonly tap?: FrameTap | null;
  readonly now?: () => number;
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
    line: { ...a.line },
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
 * is reported as it ends. "Nothing found" is a result, not a failure; an adapter that cannot be
 * opened fails the probe with its error, naming the device (so the USB tree can show its access).
 */
export class DetectProber implements Prober {
  constructor(readonly deps: DetectProberDeps) {}

  async run({ deviceId, signal, onAttempt }: ProbeRunOptions) {
    const now = this.deps.now ?? Date.now;
    const attempts: ProbeAttempt[] = [];
    const tap = this.deps.tap ?? null;
    // Probe traffic goes to the log only: it must not count against the session's link.
    const raw = tap ? new RawFrames(tap) : null;
    let opened: SerialPort | null = null;
    let offData = () => {};
    try {
      opened = await this.deps.openPort(deviceId);
      if (raw) offData = opened.onData((chunk) => raw.add(chunk.slice(), now()));
      const sent = (bytes: Uint8Array) => {
        raw?.flush();
        tap?.onFrame({ direction: 'out', bytes, at: now(), protocol: null, ok: true, decoded: null, error: null });
      };
      const port = tap ? publishedPort(opened, { sent }) : opened;
      await port.open(LINE_8N1_115200).catch((e: unknown) => {
        throw namingDevice(e, deviceId);
      });
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
      offData();
      raw?.dispose();
      await opened?.close().catch(() => undefined); // the probe's result (or its error) is what matters
    }
  }
}

