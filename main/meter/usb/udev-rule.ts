import type { ErrorFacts } from '../../api/errors.js';
import { knownAdapterIds } from './adapter-families.js';
import { hex4 } from './usb-device.js';

/** Where the rule ships (resources/udev/99-wattlet.rules) and where Linux wants it. */
export const UDEV_RULE_FILE = '99-wattlet.rules';
export const UDEV_INSTALL_COMMAND =
  'sudo install -m 0644 resources/udev/99-wattlet.rules /etc/udev/rules.d/ && sudo udevadm control --reload-rules && sudo udevadm trigger';

/**
 * The tag that grants the person at the seat access (systemd-logind), safer than a
 * world-writable MODE — and the builtin that applies it. systemd's 73-seat-late.rules turns
 * TAG "uaccess" into an ACL only for tags set before it runs; this file sorts after it (99-),
 * so it runs the builtin itself. Without that the tag does nothing: the QEMU hot-plug test saw
 * the seat user refused (EACCES) with the tag alone.
 */
const GRANT = 'TAG+="uaccess", RUN{builtin}+="uaccess"';

/** The udev rule text for every adapter we drive (see GRANT). */
export function udevRuleText(): string {
  const lines = [
    '# Wattlet: let the logged-in user open meter USB-serial adapters with its userspace driver.',
    `# Install: ${UDEV_INSTALL_COMMAND}`,
    '# The uaccess builtin runs here because 73-seat-late.rules, which usually runs it, comes before this file.',
  ];
  for (const [family, ids] of Object.entries(knownAdapterIds)) {
    lines.push(`# ${family}`); // udev allows comments only on their own line
    for (const pid of ids.productIds) {
      lines.push(`SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ATTRS{idVendor}=="${hex4(ids.vendorId)}", ATTRS{idProduct}=="${hex4(pid)}", ${GRANT}`);
    }
  }
  lines.push('# cdc-acm: devices of class 02 (composites of class EF are reached through /dev/ttyACM*, the OS path)');
  lines.push(`SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ATTR{bDeviceClass}=="02", ${GRANT}`);
  return lines.join('\n') + '\n';
}

export function udevFacts(): ErrorFacts {
  return { udevRuleFile: UDEV_RULE_FILE, installCommand: UDEV_INSTALL_COMMAND };
}
