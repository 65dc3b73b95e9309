import { mkdirSync } from 'node:fs';
import { LINE_7E1_300 } from '../../../main/meter/serial/line-settings.js';
import { OsSerialPort } from '../../../main/meter/serial/os-serial.js';
import type { SerialPort } from '../../../main/meter/serial/serial-port.js';
import { SimulatedIec62056Meter } from '../../../main/meter/sim/meters/simulated-iec62056-meter.js';
import type { SimulatedMeterLine } from '../../../main/meter/sim/wire.js';
import { PacedDsmrMeter } from '../harness/test-meters.js';
import { usbPortFor } from './adapter.js';
import { dsmrReadout } from './dsmr-readout.js';
import { AcmLineCodings } from './gadget/acm-line-coding.js';
import { chipScenario, FFS_DIR } from './gadget/chip-scenario.js';
import { ConfigfsGadget, mountConfigfs } from './gadget/configfs.js';
import { GadgetTtyMeter, ReportingLine } from './gadget/tty-meter.js';
import { insmod, run, ttyDriver, waitFor, waitForPath } from './linux.js';
import { DSMR_TELEGRAMS } from './plan.js';
import { emit } from './report.js';
import { runSession } from './session-run.js';
import type { Scenario } from './scenario.js';

/**
 * Linux's own USB gadget stack inside the guest. dummy_hcd joins a device controller to a host
 * controller, so a gadget composed in configfs appears on the guest's own USB bus: first
 * Linux's CDC-ACM function (its far side is /dev/ttyGS0), read by the project's CDC-ACM driver
 * and then by Linux's cdc_acm through serialport; then FunctionFS gadgets that play the
 * project's simulated CH34x, CP210x and PL2303 for Linux's ch341, cp210x and pl2303.
 */
export function gadgetFamily(): Scenario[] {
  let codings: AcmLineCodings | null = null;
  const acm = new ConfigfsGadget('acm', 'acm.gs0');
  const chip = new ConfigfsGadget('chip', 'ffs.chip');

  const setUp = async (): Promise<AcmLineCodings> => {
    if (codings) return codings;
    for (const m of ['configfs', 'udc-core', 'libcomposite']) await insmod(m);
    // Full speed, as the USB-serial chips are: bulk endpoints of 64 bytes, no high-speed descriptors.
    await insmod('dummy_hcd', ['is_high_speed=0']);
    for (const m of ['u_serial', 'usb_f_acm', 'usb_f_fs']) await insmod(m);
    await mountConfigfs();
    codings = await AcmLineCodings.start();
    // The IDs of Linux's g_serial in CDC-ACM mode (NetChip 0525:a4a7): no vendor table knows them,
    // so the project must recognise the adapter by its CDC interfaces, as with most CDC dongles.
    acm.create({ vendorId: 0x0525, productId: 0xa4a7, bcdDevice: 0x0601, deviceClass: 0x02, manufacturer: 'Linux', product: 'Gadget Serial v2.4', serialNumber: 'wattlet-acm' });
    acm.bind();
    await waitForPath('/dev/ttyGS0', 20_000);
    return codings;
  };

  /** A meter on the gadget's far side for the duration of one scenario. */
  const withMeter = async <T>(meter: SimulatedMeterLine, body: () => Promise<T>): Promise<T> => {
    const tty = await GadgetTtyMeter.open('/dev/ttyGS0', await setUp(), new ReportingLine(meter));
    try {
      return await body();
    } finally {
      await tty.close();
    }
  };

  const dsmr = (openPort: () => Promise<SerialPort>) => async (): Promise<boolean> => {
    const meter = new PacedDsmrMeter();
    return withMeter(meter, async () =>
      dsmrReadout(await openPort(), () => {
        for (let i = 0; i < DSMR_TELEGRAMS; i++) meter.push();
      }),
    );
  };

  const iec = (openPort: () => Promise<SerialPort>) => async (): Promise<boolean> =>
    withMeter(new SimulatedIec62056Meter({ baudChar: '5' }), async () => {
      const { readings } = await runSession({ target: { protocol: 'iec62056-21', line: LINE_7E1_300 }, openPort, readings: 1, quietMs: 60_000, answerTimeoutMs: 15_000 });
      return readings.length >= 1;
    });

  const userspace = async (): Promise<SerialPort> => {
    await setUp();
    return usbPortFor('cdc-acm', 30_000);
  };
  const osPort = async (): Promise<SerialPort> => {
    await setUp();
    await insmod('cdc-acm');
    await waitForPath('/dev/ttyACM0', 20_000);
    emit({ event: 'kernel', what: 'tty', detail: `ttyACM0 bound to ${await waitFor('the tty driver', () => ttyDriver('ttyACM0'), 5_000)}` });
    return new OsSerialPort('/dev/ttyACM0');
  };

  let chipsReady = false;
  const chipsSetUp = async (): Promise<void> => {
    if (chipsReady) return;
    await setUp();
    acm.remove();
    for (const m of ['usbserial', 'ch341', 'cp210x', 'pl2303']) await insmod(m);
    chip.create({ vendorId: 0x1a86, productId: 0x7523, bcdDevice: 0x0254, deviceClass: 0xff, manufacturer: 'x', product: 'x', serialNumber: null });
    mkdirSync(FFS_DIR, { recursive: true });
    await run('mount', ['-t', 'functionfs', 'chip', FFS_DIR]);
    chipsReady = true;
  };
  const chipRun = (name: Parameters<typeof chipScenario>[0]) => async (): Promise<boolean> => {
    await chipsSetUp();
    return chipScenario(name, chip);
  };

  return [
    { name: 'acm-dsmr', run: dsmr(userspace) },
    { name: 'acm-iec', run: iec(userspace) },
    { name: 'acm-os-dsmr', run: dsmr(osPort) },
    { name: 'acm-os-iec', run: iec(osPort) },
    { name: 'chip-ch34x', run: chipRun('ch34x') },
    { name: 'chip-cp210x', run: chipRun('cp210x') },
    { name: 'chip-pl2303-ta', run: chipRun('pl2303-ta') },
    { name: 'chip-pl2303-g', run: chipRun('pl2303-g') },
  ];
}

