/**
 * FTDI baud divisors (AN232B-05 "Configuring FT232R, FT2232 and FT232B Baud Rates", Linux
 * ftdi_sio ftdi_232bm_baud_base_to_divisor / ftdi_2232h_baud_base_to_divisor). Pure math so
 * the driver and the simulated chip (which decodes it back) share one definition.
 *
 * The chip divides a 3 MHz clock (12 MHz on hi-speed H parts) by an integer plus a fraction
 * in eighths; the fraction travels as a 3-bit code whose low two bits sit in wValue bits 14-15
 * and whose high bit sits in wIndex.
 */
export type FtdiChip = 'bm' | '2232c' | '232r' | '2232h' | '4232h' | '232h' | '230x';

/** Chip from bcdDevice, as ftdi_sio's ftdi_determine_type does for single-interface parts. */
export function ftdiChipFromBcd(bcd: number): FtdiChip {
  switch (bcd & 0xff00) {
    case 0x0500: return '2232c';
    case 0x0600: return '232r';
    case 0x0700: return '2232h';
    case 0x0800: return '4232h';
    case 0x0900: return '232h';
    case 0x1000: return '230x';
    default: return 'bm';
  }
}

export function isHiSpeedChip(chip: FtdiChip): boolean {
  return chip === '2232h' || chip === '4232h' || chip === '232h';
}

/** Multi-port chips carry the port number in wIndex's low byte, the fraction bit above it. */
export function isMultiPortChip(chip: FtdiChip): boolean {
  return chip === '2232c' || chip === '2232h' || chip === '4232h';
}

// eighths → sub-integer code (AN232B-05 table: 0, 0.5, 0.25, 0.125, 0.375, 0.625, 0.75, 0.875)
const FRAC_CODE = [0, 3, 2, 4, 1, 5, 6, 7] as const;
const CODE_EIGHTHS = [0, 4, 2, 1, 3, 5, 6, 7] as const;

export interface FtdiDivisor {
  /** wValue of SIO_SET_BAUD_RATE */
  readonly value: number;
  /** wIndex of SIO_SET_BAUD_RATE (port number still to be OR-ed in for multi-port chips) */
  readonly index: number;
  /** The rate the chip will actually run at. */
  readonly actualBaud: number;
}

const HI_SPEED_BIT = 0x20000;

/** Divisor for `baud`, or a RangeError when the chip cannot get within 3 % (UART tolerance). */
export function ftdiBaudDivisor(baud: number, chip: FtdiChip, port = 0): FtdiDivisor {
  if (!Number.isInteger(baud) || baud <= 0) throw new RangeError(`baud must be a positive integer, got ${baud}`);
  const hi = isHiSpeedChip(chip) && baud >= 1200;
  const base8 = hi ? 96_000_000 : 24_000_000; // 8 × the divided clock (12 MHz or 3 MHz)
  let raw: number;
  let actual: number;
  if (!hi && baud >= 2_500_000) {
    raw = 0; // divisor 0 means 3 MBaud (special case)
    actual = 3_000_000;
  } else if (!hi && baud >= 1_750_000) {
    raw = 1; // divisor 1 means 2 MBaud (special case, BM and later)
    actual = 2_000_000;
  } else {
    const d8 = Math.round(base8 / baud);
    const whole = d8 >> 3;
    if (whole > 0x3fff) throw new RangeError(`${baud} baud is below the chip's slowest rate`);
    if (hi && whole < 1) throw new RangeError(`${baud} baud is above the chip's fastest rate`);
    raw = whole | (FRAC_CODE[d8 & 7] << 14);
    if (hi) raw |= HI_SPEED_BIT;
    actual = Math.round(base8 / d8);
  }
  if (Math.abs(actual - baud) / baud > 0.03) throw new RangeError(`${baud} baud would run at ${actual}, beyond 3 %`);
  const value = raw & 0xffff;
  const high = raw >> 16;
  const index = isMultiPortChip(chip) ? (high << 8) | port : high;
  return { value, index, actualBaud: actual };
}

/** The inverse, as the chip reads it: the rate a (wValue, wIndex) pair selects. */
export function ftdiDivisorToBaud(value: number, index: number, chip: FtdiChip): number {
  const high = isMultiPortChip(chip) ? index >> 8 : index;
  const raw = value | (high << 16);
  const hi = isHiSpeedChip(chip) && (raw & HI_SPEED_BIT) !== 0;
  const whole = raw & 0x3fff;
  const code = (raw >> 14) & 7;
  if (!hi && whole === 0 && code === 0) return 3_000_000;
  if (!hi && whole === 1 && code === 0) return 2_000_000;
  const d8 = whole * 8 + CODE_EIGHTHS[code];
  return Math.round((hi ? 96_000_000 : 24_000_000) / d8);
}
