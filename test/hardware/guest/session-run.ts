import type { Reading } from '../../../main/meter/reading.js';
import { formatLine } from '../../../main/meter/serial/line-settings.js';
import type { SerialPort } from '../../../main/meter/serial/serial-port.js';
import { MeterSession, type MeterTarget, type SessionState } from '../../../main/meter/session/index.js';
import { sleep, usbDeviceOf } from './adapter.js';
import { emit } from './report.js';
import { RxIdleReporter } from './rx-idle.js';

export interface SessionRunOptions {
  readonly target: MeterTarget;
  /** A fresh, closed port per connection (after a re-plug the adapter is a new device). */
  readonly openPort: () => Promise<SerialPort>;
  /** Stop once this many readings arrived. */
  readonly readings: number;
  /** Give up when nothing happens for this long. */
  readonly quietMs: number;
  /** The reader's answer timeout (IEC 62056-21) — generous: the guest is slow under TCG. */
  readonly answerTimeoutMs?: number;
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Called with the session once it runs (the hot-plug scenario wires discovery to it). */
  readonly started?: (session: MeterSession) => void;
  /** Called on each port open (the gadget family starts its guest-side meter then). */
  readonly onOpen?: (attempt: number) => void;
}

/**
 * Run the project's MeterSession, reporting to the host what a person would see: the port open
 * (state 'reading'), the loss of the link with the session's own reason, reconnects, readings.
 * Ends after `readings` readings or `quietMs` of nothing.
 */
export async function runSession(o: SessionRunOptions): Promise<{ readings: Reading[]; losses: number }> {
  let port: SerialPort | null = null;
  let rx: RxIdleReporter | null = null;
  let opens = 0;
  let losses = 0;
  let lastActivity = Date.now();
  const readings: Reading[] = [];
  const session = new MeterSession({
    openPort: async () => {
      const p = await o.openPort();
      rx?.dispose();
      port = p;
      rx = new RxIdleReporter(p, opens + 1);
      p.onData(() => (lastActivity = Date.now()));
      return p;
    },
    target: o.target,
    timing: { pollMs: 60_000, silenceMs: 2 * o.quietMs, ...(o.answerTimeoutMs ? { answerTimeoutMs: o.answerTimeoutMs } : {}) },
    backoff: o.backoff ?? { initialMs: 300, maxMs: 2000 },
  });
  let previous: SessionState = 'idle';
  // Only bytes and readings count as activity: a session that keeps failing to open must not
  // keep the scenario alive.
  session.onState((s) => {
    if (s.state === 'reading' && previous !== 'reading') {
      opens++;
      emit({ event: 'port-open', line: formatLine(o.target.line), attempt: opens });
      o.onOpen?.(opens);
    }
    if (s.state === 'waiting' && previous !== 'waiting') {
      const reason = s.counters.recentReconnects[s.counters.recentReconnects.length - 1]?.reason ?? 'unknown';
      if (previous === 'reading') {
        losses++;
        emit({ event: 'link-lost', code: reason, message: `session: ${s.counters.lastErrorCode ?? ''}`, bytesIn: port?.stats.bytesIn ?? -1 });
      } else emit({ event: 'open-failed', code: reason, message: `session could not open the adapter: ${s.counters.lastErrorCode ?? ''}`, attempt: opens + 1 });
    }
    previous = s.state;
  });
  session.onReading((r) => {
    lastActivity = Date.now();
    readings.push(r);
    emit({ event: 'reading', reading: r });
  });
  session.start();
  o.started?.(session);
  while (readings.length < o.readings && Date.now() - lastActivity < o.quietMs) await sleep(50);
  const s = session.status();
  emit({ event: 'stats', stats: { counters: s.counters, link: s.link } });
  const closing = port as SerialPort | null;
  await session.dispose();
  (rx as RxIdleReporter | null)?.dispose();
  // The session swallows close() failures (it must: the device may be gone). Ask the device
  // whether it really was closed, so a leaked handle shows up here.
  const device = usbDeviceOf(closing);
  if (device) {
    emit({ event: 'log', message: `after dispose: device opened=${device.opened}` });
    if (device.opened) emit({ event: 'close-error', message: 'the USB device is still open after the session was disposed' });
  }
  return { readings, losses };
}
