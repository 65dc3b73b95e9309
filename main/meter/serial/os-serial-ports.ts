import { readdir, realpath } from 'node:fs/promises';
import type { OsSerialPortInfo } from '../../api/meter.js';
import { loadSerialPortModule } from './os-serial.js';

/**
 * The OS's serial ports. serialport's list() asks udevadm on Linux, which containers and
 * minimal systems lack; there the device nodes themselves are listed (without USB IDs).
 */
export async function listOsSerialPorts(options: { devDir?: string } = {}): Promise<OsSerialPortInfo[]> {
  try {
    const { SerialPort } = await loadSerialPortModule();
    const ports = await SerialPort.list();
    return ports.map((p) => ({
      path: p.path,
      vendorId: p.vendorId ? parseInt(p.vendorId, 16) : null,
      productId: p.productId ? parseInt(p.productId, 16) : null,
      serialNumber: p.serialNumber ?? null,
      manufacturer: p.manufacturer ?? null,
    }));
  } catch (e) {
    if (process.platform !== 'linux') throw e;
  }
  const dev = options.devDir ?? '/dev';
  const names = await readdir(dev).catch(() => [] as string[]);
  const found = names.filter((n) => /^tty(USB|ACM|AMA|S)\d+$/.test(n) && !/^ttyS\d+$/.test(n)).map((n) => `${dev}/${n}`);
  const byId = await readdir(`${dev}/serial/by-id`).catch(() => [] as string[]);
  const result: OsSerialPortInfo[] = [];
  for (const path of found) {
    let serialNumber: string | null = null;
    for (const link of byId) {
      if ((await realpath(`${dev}/serial/by-id/${link}`).catch(() => '')) === path) serialNumber = /_([^_]+)-if\d+/.exec(link)?.[1] ?? null;
    }
    result.push({ path, vendorId: null, productId: null, serialNumber, manufacturer: null });
  }
  return result;
}
