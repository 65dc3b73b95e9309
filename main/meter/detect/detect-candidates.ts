import { dltReadAddressRequest } from '../protocols/dlt645/dlt645-frame.js';
import { signOn } from '../protocols/iec62056-21/iec-messages.js';
import { readInputRequest } from '../protocols/modbus/modbus-rtu.js';
import type { MeterProtocol } from '../reading.js';
import type { LineSettings } from '../serial/line-settings.js';

export interface DetectCandidate {
  readonly protocol: MeterProtocol;
  readonly line: LineSettings;
  /** Push protocols are only listened to; request/response ones get one polite probe. */
  readonly probe: Uint8Array | null;
}

const line = (baudRate: number, dataBits: 7 | 8, parity: LineSettings['parity']): LineSettings => ({ baudRate, dataBits, parity, stopBits: 1 });

/**
 * The order matters: listening costs nothing and disturbs nobody, so push protocols come first;
 * probes are the read-only requests each protocol defines for discovery (IEC 62056-21 sign-on,
 * DL/T 645 broadcast read-address, Modbus read of the first input register pair of slave 1).
 */
export const DETECT_CANDIDATES: readonly DetectCandidate[] = [
  { protocol: 'dsmr', line: line(115_200, 8, 'none'), probe: null },
  { protocol: 'sml', line: line(9600, 8, 'none'), probe: null },
  { protocol: 'dsmr', line: line(9600, 7, 'even'), probe: null },
  { protocol: 'iec62056-21', line: line(300, 7, 'even'), probe: signOn() },
  { protocol: 'dlt645', line: line(2400, 8, 'even'), probe: dltReadAddressRequest() },
  { protocol: 'modbus', line: line(9600, 8, 'none'), probe: readInputRequest(1, 0x0000, 2) },
];
