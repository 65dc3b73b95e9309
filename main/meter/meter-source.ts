import type { MeterTarget } from './session/meter-target.js';
import type { UsbBackend } from './usb/usb-backend.js';

/** Which meter the app reads, and on what: the meter room's one input. */
export interface MeterSource {
  /** 'none', a USB serial number, vid:pid, or an OS serial device path. */
  readonly selector: string;
  /** The meter's serial as the ledger knows it (hashed to its bytes32 meter id). */
  readonly serial: string;
  /** The USB bus the adapter is on; default the real one (`usb`), owned by the meter room. */
  readonly backend?: UsbBackend;
  /** A meter whose protocol and line are known; default: detected on every (re)connect. */
  readonly target?: MeterTarget;
}
