import { DsmrDecoder } from '../../../main/meter/protocols/dsmr/dsmr-decoder.js';
import { formatLine, LINE_8N1_115200 } from '../../../main/meter/serial/line-settings.js';
import type { UsbSerialPort } from '../../../main/meter/usb/usb-serial-port.js';
import { bootParam, closePort, errorFacts, findAdapter, openFtdi, sleep } from './adapter.js';
import { emit } from './report.js';
import { RxIdleReporter } from './rx-idle.js';

/**
 * Scenario 3: the adapter is unplugged in the middle of a telegram and plugged back in. What a
 * meter session must do: report the loss, drop the partial telegram, find the adapter again,
 * reopen it and go on decoding — with no reading made from the torn telegram's bytes.
 *
 * The reconnect loop lives here, on the driver and decoder directly, because the project's
 * meter session (main/meter/session) does not exist yet.
 */
export async function unplugReplug(): Promise<boolean> {
  const want = bootParam('readings', 4);
  const quietMs = bootParam('quiet_ms', 45_000);
  let readings = 0;
  let lastActivity = Date.now();
  const decoder = new DsmrDecoder((e) => {
    lastActivity = Date.now();
    if (e.kind === 'reading') {
      readings++;
      emit({ event: 'reading', reading: e.reading });
    } else if (e.kind === 'error') emit({ event: 'decode-error', code: e.code, message: e.detail });
  });

  let attempt = 0;
  let losses = 0;
  while (readings < want && Date.now() - lastActivity < quietMs) {
    attempt++;
    let port: UsbSerialPort;
    try {
      const device = await findAdapter(quietMs);
      port = await openFtdi(device, LINE_8N1_115200);
    } catch (e) {
      // Right after an unplug the old device may still be listed, or the new one half enumerated.
      emit({ event: 'open-failed', ...errorFacts(e), attempt });
      await sleep(300);
      continue;
    }
    const rx = new RxIdleReporter(port, attempt);
    let lost = false;
    const offData = port.onData((chunk) => {
      lastActivity = Date.now();
      decoder.push(chunk, Date.now());
    });
    const offError = port.onError((e) => {
      lost = true;
      losses++;
      // A telegram cut off by the unplug must never be completed by bytes after the re-plug.
      decoder.reset();
      emit({ event: 'link-lost', ...errorFacts(e), bytesIn: port.stats.bytesIn });
    });
    emit({ event: 'port-open', line: formatLine(LINE_8N1_115200), attempt });
    lastActivity = Date.now();
    while (!lost && readings < want && Date.now() - lastActivity < quietMs) await sleep(50);
    rx.dispose();
    offData();
    offError();
    emit({ event: 'stats', stats: { attempt, port: port.stats, decoder: decoder.stats } });
    await closePort(port);
  }
  return readings >= want && losses >= 1;
}
