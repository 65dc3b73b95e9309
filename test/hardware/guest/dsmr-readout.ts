import { DsmrDecoder } from '../../../main/meter/protocols/dsmr/dsmr-decoder.js';
import { formatLine, LINE_8N1_115200 } from '../../../main/meter/serial/line-settings.js';
import type { SerialPort } from '../../../main/meter/serial/serial-port.js';
import { bootParam, closePort, errorFacts, sleep } from './adapter.js';
import { emit } from './report.js';
import { RxIdleReporter } from './rx-idle.js';

/**
 * Open the port at 115200 8N1 and decode DSMR 5 telegrams until `wattlet.readings` arrived or
 * the line stays quiet too long. `onOpen` starts a meter on the guest's side (gadget family);
 * in the FTDI family the host's meter starts on the 'port-open' event.
 */
export async function dsmrReadout(port: SerialPort, onOpen?: () => void): Promise<boolean> {
  const want = bootParam('readings', 5);
  const quietMs = bootParam('quiet_ms', 30_000);
  let readings = 0;
  let lastActivity = Date.now();
  const decoder = new DsmrDecoder((e) => {
    lastActivity = Date.now();
    if (e.kind === 'reading') {
      readings++;
      emit({ event: 'reading', reading: e.reading });
    } else if (e.kind === 'error') emit({ event: 'decode-error', code: e.code, message: e.detail });
  });
  await port.open(LINE_8N1_115200);
  const rx = new RxIdleReporter(port, 1);
  let lost: unknown = null;
  port.onData((chunk) => {
    lastActivity = Date.now();
    decoder.push(chunk, Date.now());
  });
  port.onError((e) => {
    lost = e;
    emit({ event: 'link-lost', ...errorFacts(e), bytesIn: port.stats.bytesIn });
  });
  emit({ event: 'port-open', line: formatLine(LINE_8N1_115200), attempt: 1 });
  lastActivity = Date.now();
  onOpen?.();
  while (readings < want && !lost && Date.now() - lastActivity < quietMs) await sleep(50);
  rx.dispose();
  emit({ event: 'stats', stats: { port: port.stats, decoder: decoder.stats } });
  await closePort(port);
  return readings >= want && !lost;
}
