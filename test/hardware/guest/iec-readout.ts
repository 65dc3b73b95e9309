import { LINE_7E1_300 } from '../../../main/meter/serial/line-settings.js';
import { bootParam } from './adapter.js';
import { runSession } from './session-run.js';

/**
 * Scenario 2: the project's MeterSession with its IEC 62056-21 mode C poller — sign-on at
 * 300 7E1, identification, ACK 0 5 0, the port switched to 9600 7E1, the data block — on the
 * project's FTDI driver over `usb`. The host checks the speeds the chip was set to in QEMU's trace.
 */
export async function iecReadout(): Promise<boolean> {
  const quietMs = bootParam('quiet_ms', 60_000);
  const { readings } = await runSession({
    target: { protocol: 'iec62056-21', line: LINE_7E1_300 },
    readings: 1,
    quietMs,
    answerTimeoutMs: bootParam('answer_ms', 15_000),
  });
  return readings.length >= 1;
}
