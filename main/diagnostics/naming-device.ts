import { WattletError } from '../api/errors.js';

/**
 * The error with the adapter's discovery id among its facts, so diagnostics can tell which
 * adapter refused (permission, claimed) and show it on that device. Other errors pass as they are.
 */
export function namingDevice(e: unknown, deviceId: string | null): unknown {
  return e instanceof WattletError && deviceId !== null && !('deviceId' in e.facts)
    ? new WattletError(e.code, e.message, { ...e.facts, deviceId }, { cause: e })
    : e;
}
