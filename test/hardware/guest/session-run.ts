import type { Reading } from '../../../main/meter/reading.js';
import { formatLine } from '../../../main/meter/serial/line-settings.js';
import { MeterSession, type MeterTarget, type SessionState } from '../../../main/meter/session/index.js';
import { usbSerialPort } from '../../../main/meter/usb/open-usb-serial-port.js';
import type { UsbSerialPort } from '../../../main/meter/usb/usb-serial-port.js';
import { findAdapter, sleep } from './adapter.js';
import { emit } from './report.js';
import { RxIdleReporter } from './rx-idle.js';

export interface SessionRunOptions {
  readonly target: MeterTarget;
  /** Stop once this many readings arrived. */
  readonly readings: number;
  /** Give up when nothing happens for this long. */
  readonly quietMs: number;
  /** The reader's answer timeout (IEC 62056-21) — generous: the guest is slow under TCG. */
  readonly answerTimeoutMs?: number;
}

/**
 * Run the project's MeterSession on the adapter found through `usb`, reporting to the host what
 * a person would see: the port open (state 'reading'), the loss of the link with the session's
 * own reason, reconnects, readings. Ends after `readings` readings or `quietMs` of nothing.
 */
export async function runSession(o: SessionRunOptions): Promise<{ readings: Reading[]; losses: number }> {
  let port: UsbSerialPort | null = null;
  let rx: RxIdleReporter | null = null;
  let opens = 0;
  let losses = 0;
  let lastActivity = Date.now();
  const readings: Reading[] = [];
  const session = new MeterSession({
    // A fresh port per connection: after a re-plug the adapter is a new device.
    openPort: async () => {
      const device = await findAdapter(o.quietMs);
      rx?.dispose();
      port = usbSerialPort(device, { family: 'ftdi' });
      rx = new RxIdleReporter(port, opens + 1);
      port.onData(() => (lastActivity = Date.now()));
      return port;
    },
    target: o.target,
    timing: { pollMs: 60_000, silenceMs: 2 * o.quietMs, ...(o.answerTimeoutMs ? { answerTimeoutMs: o.answerTimeoutMs } : {}) },
    backoff: { initialMs: 300, maxMs: 2000 },
  });
  let previous: SessionState = 'idle';
  // Only bytes and readings count as activity: a session that keeps failing to open must not
  // keep the scenario alive.
  session.onState((s) => {
    if (s.state === 'reading' && previous !== 'reading') {
      opens++;
      emit({ event: 'port-open', line: formatLine(o.target.line), attempt: opens });
    }
    if (s.state === 'waiting' && previous !== 'waiting') {
      const reason = s.counters.recentReconnects[s.counters.recentReconnects.length - 1]?.reason ?? 'unknown';
      if (previous === 'reading') {
        losses++;
        emit({ event: 'link-lost', code: reason, message: `session: ${s.counters.lastErrorCode ?? ''}`, bytesIn: port?.stats.bytesIn ?? -1 });
      } else emit({ event: 'open-failed', code: reason, message: 'session could not open the adapter', attempt: opens + 1 });
    }
    previous = s.state;
  });
  session.onReading((r) => {
    lastActivity = Date.now();
    readings.push(r);
    emit({ event: 'reading', reading: r });
  });
  session.start();
  while (readings.length < o.readings && Date.now() - lastActivity < o.quietMs) await sleep(50);
  const s = session.status();
  emit({ event: 'stats', stats: { counters: s.counters, link: s.link } });
  const closing = port as UsbSerialPort | null;
  await session.dispose();
  (rx as RxIdleReporter | null)?.dispose();
  // The session swallows close() failures (it must: the device may be gone). Ask the device
  // whether it really was closed, so a leaked handle shows up here.
  emit({ event: 'log', message: `after dispose: port open=${closing?.isOpen} device opened=${closing?.device.opened}` });
  if (closing?.device.opened) emit({ event: 'close-error', message: 'the USB device is still open after the session was disposed' });
  return { readings, losses };
}
