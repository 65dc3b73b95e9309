import { DsmrDecoder } from '../../../main/meter/protocols/dsmr/dsmr-decoder.js';
import { formatLine, LINE_8N1_115200 } from '../../../main/meter/serial/line-settings.js';
import { bootParam, closePort, errorFacts, findAdapter, openFtdi, sleep } from './adapter.js';
import { emit } from './report.js';
import { RxIdleReporter } from './rx-idle.js';

/**
 * Scenario 1: find the adapter, claim it with the project's FTDI driver, open 115200 8N1 and
 * decode DSMR 5 telegrams until `wattlet.readings` arrived or the line stays quiet too long.
 */
export async function dsmrReadout(): Promise<boolean> {
  const want = bootParam('readings', 5);
  const quietMs = bootParam('quiet_ms', 30_000);
  const device = await findAdapter(30_000);
  let readings = 0;
  let lastActivity = Date.now();
  const decoder = new DsmrDecoder((e) => {
    lastActivity = Date.now();
    if (e.kind === 'reading') {
      readings++;
      emit({ event: 'reading', reading: e.reading });
    } else if (e.kind === 'error') emit({ event: 'decode-error', code: e.code, message: e.detail });
  });
  const port = await openFtdi(device, LINE_8N1_115200);
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
  while (readings < want && !lost && Date.now() - lastActivity < quietMs) await sleep(50);
  rx.dispose();
  emit({ event: 'stats', stats: { port: port.stats, decoder: decoder.stats } });
  await closePort(port);
  return readings >= want && !lost;
}
