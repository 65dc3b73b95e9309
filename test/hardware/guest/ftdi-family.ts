import { LINE_7E1_300, LINE_8N1_115200 } from '../../../main/meter/serial/line-settings.js';
import { OsSerialPort } from '../../../main/meter/serial/os-serial.js';
import type { SerialPort } from '../../../main/meter/serial/serial-port.js';
import { usbPortFor } from './adapter.js';
import { dsmrReadout } from './dsmr-readout.js';
import { hotplugScenario } from './hotplug.js';
import { insmod, ttyDriver, waitFor, waitForPath } from './linux.js';
import { UNPLUG_READINGS } from './plan.js';
import { emit } from './report.js';
import type { Scenario } from './scenario.js';
import { runSession } from './session-run.js';

const FTDI_TTY = '/dev/ttyUSB0';

/**
 * QEMU's emulated FT232B: first through the project's userspace driver over `usb` (no kernel
 * serial driver loaded), then — after udevd and the hot-plug scenario — through Linux's ftdi_sio
 * and serialport, the OS-serial path, with QEMU's trace checking the same chip settings.
 */
export function ftdiFamily(): Scenario[] {
  const ftdi = (): Promise<SerialPort> => usbPortFor('ftdi', 30_000);
  const osPort = async (): Promise<SerialPort> => {
    await insmod('usbserial');
    await insmod('ftdi_sio');
    await waitForPath(FTDI_TTY, 20_000);
    emit({ event: 'kernel', what: 'tty', detail: `ttyUSB0 bound to ${await waitFor('the tty driver', () => ttyDriver('ttyUSB0'), 5_000)}` });
    return new OsSerialPort(FTDI_TTY);
  };
  const iec = (openPort: () => Promise<SerialPort>) => async (): Promise<boolean> => {
    const { readings } = await runSession({ target: { protocol: 'iec62056-21', line: LINE_7E1_300 }, openPort, readings: 1, quietMs: 60_000, answerTimeoutMs: 15_000 });
    return readings.length >= 1;
  };
  return [
    { name: 'dsmr', run: async () => dsmrReadout(await ftdi()) },
    { name: 'iec', run: iec(ftdi) },
    {
      name: 'unplug',
      run: async () => {
        const { readings, losses } = await runSession({ target: { protocol: 'dsmr', line: LINE_8N1_115200 }, openPort: ftdi, readings: UNPLUG_READINGS, quietMs: 45_000 });
        return readings.length >= UNPLUG_READINGS && losses >= 1;
      },
    },
    { name: 'hotplug', run: hotplugScenario },
    { name: 'os-dsmr', run: async () => dsmrReadout(await osPort()) },
    { name: 'os-iec', run: iec(osPort) },
  ];
}
