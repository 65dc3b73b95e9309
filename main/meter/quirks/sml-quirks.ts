import { QUIRKS, type QuirkId } from './quirk-table.js';

/**
 * Who an SML meter says it is: the server id (or 1-0:96.1.0 device id) in the DIN 43863-5 form
 * libsml reads, 0x0A, the medium (0x01 electricity), the FLAG id in three ASCII letters, then
 * five bytes of fabrication block and serial number as one integer ("0A 01 'DZG' 00 02 82 22 5E"
 * = DZG, 42082910).
 */
export interface ServerIdentity {
  readonly manufacturer: string;
  readonly serial: number;
}

export function serverIdentity(b: Uint8Array, from: number, to: number): ServerIdentity | null {
  if (to - from !== 10 || b[from] !== 0x0a || b[from + 1] !== 0x01) return null;
  let manufacturer = '';
  for (let k = from + 2; k < from + 5; k++) {
    const c = b[k]!;
    if (c < 0x41 || c > 0x5a) return null;
    manufacturer += String.fromCharCode(c);
  }
  let serial = 0;
  for (let k = from + 5; k < to; k++) serial = serial * 256 + b[k]!;
  return { manufacturer, serial };
}

function matches(id: QuirkId, who: ServerIdentity | null): boolean {
  const q = QUIRKS.find((x) => x.id === id)!;
  if (!who) return false;
  if (q.manufacturer && q.manufacturer !== who.manufacturer) return false;
  if (q.serialRanges && !q.serialRanges.some(([lo, hi]) => who.serial >= lo && who.serial <= hi)) return false;
  return true;
}

/** Whether a transmission checksummed with KERMIT may be read: only from a meter known for it. */
export function acceptsKermitCrc(who: ServerIdentity | null): boolean {
  return matches('holley-dtz541-kermit-crc', who);
}

/**
 * The quirks of the meter one SML file comes from, as the list parser needs them while it
 * reads: which corrections apply, and which were applied (named on the reading).
 */
export class SmlQuirks {
  unsignedPower = false;
  identified = false;
  readonly names: QuirkId[] = [];

  constructor(who: ServerIdentity | null) {
    this.identify(who);
  }

  identify(who: ServerIdentity | null): void {
    if (!who) return;
    this.identified = true;
    this.unsignedPower = matches('dzg-dvs74-power-sign', who);
  }

  applied(id: QuirkId): void {
    if (!this.names.includes(id)) this.names.push(id);
  }
}

export function smlQuirks(who: ServerIdentity | null): SmlQuirks {
  return new SmlQuirks(who);
}
