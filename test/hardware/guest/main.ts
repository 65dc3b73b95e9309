import { usb } from 'usb';
import { emit } from './report.js';

async function probe(): Promise<void> {
  const devices = await usb.getDevices();
  for (const d of devices) {
    emit({ event: 'device', vendorId: d.vendorId, productId: d.productId, bcdDevice: (d.deviceVersionMajor << 8) | (d.deviceVersionMinor << 4) | d.deviceVersionSubminor });
  }
  const d = devices.find((x) => x.vendorId === 0x0403);
  if (!d) throw new Error('no FTDI device');
  await d.open();
  await d.claimInterface(0);
  emit({ event: 'log', message: `claimed ${JSON.stringify(d.configuration?.interfaces.map((i: { alternate: { endpoints: unknown } }) => i.alternate.endpoints))}` });
  await d.close();
}

const scenario = process.argv[2] ?? 'probe';
emit({ event: 'started', scenario, node: process.version });
try {
  if (scenario === 'probe') await probe();
  emit({ event: 'done', ok: true });
} catch (e) {
  emit({ event: 'done', ok: false, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  process.exitCode = 1;
}
