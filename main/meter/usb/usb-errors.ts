import { WattletError, type ErrorFacts } from '../../api/errors.js';
import { udevFacts } from './udev-rule.js';

/**
 * Turns what the `usb` library (or a simulated device) throws into a coded error. The library
 * speaks in messages, not codes (nusb/libusb/WebUSB each word them differently), so we match the
 * known wordings and keep the original as the cause.
 */
export function usbError(e: unknown, what: string, facts: ErrorFacts = {}): WattletError {
  if (e instanceof WattletError) return e;
  const text = e instanceof Error ? `${e.name} ${e.message}` : String(e);
  const all = { ...facts, operation: what, detail: text.slice(0, 200) };
  if (/disconnect|no such device|ENODEV|NO_DEVICE|device (is )?gone|not connected/i.test(text)) {
    return new WattletError('METER_DEVICE_GONE', `The adapter was unplugged during ${what}`, all, { cause: e });
  }
  if (/permission|EACCES|EPERM|access denied|ACCESS/i.test(text)) {
    return new WattletError('METER_PERMISSION_DENIED', `No permission to use the adapter (${what})`, { ...all, ...udevFacts() }, { cause: e });
  }
  if (/busy|claimed|EBUSY|in use/i.test(text)) {
    return new WattletError(
      'METER_INTERFACE_CLAIMED',
      `The adapter's interface is held by a kernel driver or another program (${what})`,
      all,
      { cause: e },
    );
  }
  if (/stall|pipe/i.test(text)) {
    return new WattletError('METER_ADAPTER_REFUSED', `The adapter refused ${what}`, all, { cause: e });
  }
  return new WattletError('METER_TRANSFER_FAILED', `USB ${what} failed: ${text.slice(0, 120)}`, all, { cause: e });
}

/** `usb` 3.x rejects a timed-out transferIn with "Cancelled"; that is "no data yet", not a failure. */
export function isTransferTimeout(e: unknown): boolean {
  return e instanceof Error && /cancel|timed? ?out|LIBUSB_ERROR_TIMEOUT/i.test(e.message) && !/disconnect/i.test(e.message);
}
