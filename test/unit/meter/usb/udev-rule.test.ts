import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { knownAdapterIds } from '../../../../main/meter/usb/adapter-families.js';
import { udevFacts, udevRuleText } from '../../../../main/meter/usb/udev-rule.js';
import { usbError } from '../../../../main/meter/usb/usb-errors.js';

describe('udev rule', () => {
  const shipped = readFileSync(new URL('../../../../resources/udev/99-wattlet.rules', import.meta.url), 'utf8');

  it('ships exactly the rule the code generates (no drift from the ID table)', () => {
    expect(shipped).toBe(udevRuleText());
  });

  it('has a uaccess line for every VID:PID we drive, and only well-formed lines', () => {
    for (const { vendorId, productIds } of Object.values(knownAdapterIds)) {
      for (const pid of productIds) {
        const v = vendorId.toString(16).padStart(4, '0');
        const p = pid.toString(16).padStart(4, '0');
        expect(shipped).toContain(`ATTRS{idVendor}=="${v}", ATTRS{idProduct}=="${p}", TAG+="uaccess"`);
      }
    }
    for (const line of shipped.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^(\w+(\{\w+\})?(==|\+=)"[^"]*"(, )?)+$/);
    }
  });

  it('puts the install command in the facts of METER_PERMISSION_DENIED', () => {
    const e = usbError(new Error('LIBUSB_ERROR_ACCESS: Access denied (insufficient permissions)'), 'opening');
    expect(e.code).toBe('METER_PERMISSION_DENIED');
    expect(e.facts.installCommand).toBe(udevFacts().installCommand);
    expect(String(e.facts.installCommand)).toMatch(/99-wattlet\.rules \/etc\/udev\/rules\.d\/ && sudo udevadm control --reload-rules/);
  });

  it('classifies the library wordings for gone, busy and stall', () => {
    expect(usbError(new Error('Device disconnected'), 'reading').code).toBe('METER_DEVICE_GONE');
    expect(usbError(new Error('Resource busy'), 'claiming').code).toBe('METER_INTERFACE_CLAIMED');
    expect(usbError(new Error('endpoint stalled'), 'x').code).toBe('METER_ADAPTER_REFUSED');
    expect(usbError(new Error('something odd'), 'x').code).toBe('METER_TRANSFER_FAILED');
  });
});
