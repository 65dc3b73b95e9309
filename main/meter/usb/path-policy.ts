import type { AdapterFamilyName } from '../../api/meter.js';
import type { SerialPath } from '../serial/serial-port.js';

export type PathChoice = 'auto' | SerialPath;

export interface PathDecision {
  readonly path: SerialPath;
  readonly reason: string;
}

/**
 * Which path a device takes: our userspace driver over `usb`, or the OS's serial driver. The
 * rule follows who owns the adapter on each OS (USB-NODE.md): Linux lets us detach its serial
 * drivers; Windows binds vendor COM-port drivers or usbser.sys that only a WinUSB swap (Zadig)
 * would remove; macOS's built-in drivers for FTDI and CDC-ACM cannot be detached at all.
 */
export function decidePath(family: AdapterFamilyName | null, platform: NodeJS.Platform, choice: PathChoice = 'auto'): PathDecision {
  if (choice !== 'auto') return { path: choice, reason: `chosen by the user` };
  if (!family) return { path: 'os', reason: 'no userspace driver for this device; use the serial port the OS created for it, if any' };
  switch (platform) {
    case 'linux':
      return { path: 'usb', reason: 'Linux: the kernel serial driver is detached and the userspace driver claims the interface' };
    case 'win32':
      return {
        path: 'os',
        reason: family === 'cdc-acm'
          ? 'Windows: usbser.sys owns CDC-ACM devices and shows them as a COM port'
          : `Windows: the vendor's ${family} COM-port driver owns the adapter (USB path needs WinUSB installed for it)`,
      };
    case 'darwin':
      return family === 'ftdi' || family === 'cdc-acm'
        ? { path: 'os', reason: `macOS: the built-in ${family} driver holds the interface and cannot be detached` }
        : { path: 'usb', reason: `macOS: no built-in driver claims ${family} adapters` };
    default:
      return { path: 'usb', reason: `${platform}: userspace driver` };
  }
}
