import { LINE_8N1_115200 } from '../../../main/meter/serial/line-settings.js';
import { bootParam } from './adapter.js';
import { runSession } from './session-run.js';

/**
 * Scenario 3: the adapter is unplugged in the middle of a telegram and plugged back in. The
 * project's MeterSession (DSMR push reader) must report the loss, reconnect to the re-plugged
 * adapter and go on decoding — with no reading made from the torn telegram's bytes.
 */
export async function unplugReplug(): Promise<boolean> {
  const { readings, losses } = await runSession({
    target: { protocol: 'dsmr', line: LINE_8N1_115200 },
    readings: bootParam('readings', 4),
    quietMs: bootParam('quiet_ms', 45_000),
  });
  return readings.length >= bootParam('readings', 4) && losses >= 1;
}
