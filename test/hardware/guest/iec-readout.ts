import { Iec62056Decoder } from '../../../main/meter/protocols/iec62056-21/iec-decoder.js';
import { optionSelect, signOn } from '../../../main/meter/protocols/iec62056-21/iec-messages.js';
import { formatLine, LINE_7E1_300, type LineSettings } from '../../../main/meter/serial/line-settings.js';
import { bootParam, closePort, findAdapter, openFtdi, sleep } from './adapter.js';
import { emit } from './report.js';

/** The rate we ask the meter for, if it offers it (Table 1 character '5'). */
const TARGET_BAUD = 9600;

/** Time for `n` characters of 10 bits (7E1: start, 7 data, parity, stop) to leave the UART. */
function drainMs(n: number, baud: number): number {
  return Math.ceil((n * 10 * 1000) / baud);
}

async function until<T>(get: () => T | undefined, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Scenario 2: IEC 62056-21 mode C readout. Sign on at 300 7E1, read the identification, select
 * 9600 with ACK 0 5 0, switch the port to 9600 7E1 once the option select has left the UART,
 * and decode the data block. Run on the project's FTDI driver over `usb`; the host checks the
 * speeds the chip was actually set to in QEMU's trace.
 */
export async function iecReadout(): Promise<boolean> {
  const stepMs = bootParam('step_ms', 20_000);
  const device = await findAdapter(30_000);
  let ident: { baudChar: string; baud: number } | undefined;
  let reading: unknown;
  const decoder = new Iec62056Decoder((e) => {
    if (e.kind === 'frame' && e.what === 'iec.identification') {
      const f = e.facts;
      emit({ event: 'identification', text: `/${f.manufacturer}${f.baudChar}${f.ident}` });
      ident = { baudChar: String(f.baudChar), baud: Number(f.baud) };
    } else if (e.kind === 'reading') {
      reading = e.reading;
      emit({ event: 'reading', reading: e.reading });
    } else if (e.kind === 'error') emit({ event: 'decode-error', code: e.code, message: e.detail });
  });
  const port = await openFtdi(device, LINE_7E1_300);
  port.onData((chunk) => decoder.push(chunk, Date.now()));
  port.onError((e) => emit({ event: 'link-lost', code: 'LINK', message: e.message, bytesIn: port.stats.bytesIn }));
  emit({ event: 'port-open', line: formatLine(LINE_7E1_300), attempt: 1 });
  try {
    const req = signOn();
    await port.write(req);
    const id = await until(() => ident, stepMs, 'the identification');
    const fast: LineSettings = id.baud >= TARGET_BAUD ? { ...LINE_7E1_300, baudRate: TARGET_BAUD } : LINE_7E1_300;
    const option = optionSelect(id.baud >= TARGET_BAUD ? '5' : '0');
    await port.write(option);
    // The speed may only change once the option select has been sent at the old speed.
    await sleep(drainMs(option.length, LINE_7E1_300.baudRate));
    await port.setLineSettings(fast);
    emit({ event: 'line-changed', line: formatLine(fast) });
    await until(() => reading, stepMs, 'the data block');
    return true;
  } finally {
    emit({ event: 'stats', stats: { port: port.stats, decoder: decoder.stats } });
    await closePort(port);
  }
}
