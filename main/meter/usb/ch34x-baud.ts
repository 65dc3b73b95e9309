import type { LineSettings } from '../serial/line-settings.js';

/**
 * CH340/CH341 baud registers (WCH CH341DS1; Linux ch341.c; usb-serial-for-android
 * Ch34xSerialDriver.setBaudRate). Register 0x12 is the prescaler: bits 0-1 select ÷8 steps
 * (3 = fastest), bit 2 doubles the base clock (Linux calls it `fact`), bit 7 makes a CH341A
 * hand over received bytes without waiting for a full packet. Register 0x13 holds the divisor
 * as 0x100 − div; WCH's and Android's drivers also write a finer low byte to register 0x2C,
 * together a 16-bit down-counter 0x10000 − count. 1532620800 is the base factor WCH's and
 * Android's drivers use for prescaler 3. Linux writes only 0x12 and 0x13 (0x2C stays 0).
 */
export const CH34X_BAUDBASE_FACTOR = 1_532_620_800;
const DIVMAX = 3;
/** Each prescaler step down divides the clock by eight. */
const PRESCALER_STEP = 8;
/** Prescaler bit 2: the base clock doubled (Linux ch341.c `fact`). */
const FACT = 0x04;

export interface Ch34xBaudRegisters {
  /** WRITE_REG 0x1312 wIndex: counter high byte | prescaler (with bit 7: don't wait for a full buffer). */
  readonly reg1312: number;
  /** WRITE_REG 0x0F2C wIndex: counter low byte. */
  readonly reg0f2c: number;
}

export function ch34xBaudRegisters(baud: number): Ch34xBaudRegisters {
  if (!Number.isInteger(baud) || baud <= 0) throw new RangeError(`baud must be a positive integer, got ${baud}`);
  let factor: number;
  let div: number;
  if (baud === 921_600) {
    // The formula lands off by >3 % here; WCH's own driver uses this fixed pair.
    factor = 0xf300;
    div = 7;
  } else {
    factor = Math.floor(CH34X_BAUDBASE_FACTOR / baud);
    div = DIVMAX;
    while (factor > 0xfff0 && div > 0) {
      factor = Math.floor(factor / PRESCALER_STEP);
      div--;
    }
    if (factor > 0xfff0) throw new RangeError(`${baud} baud is below the CH34x's slowest rate`);
    if (factor < 1) throw new RangeError(`${baud} baud is above the CH34x's fastest rate`);
    factor = 0x10000 - factor;
  }
  // Bit 7 of the prescaler byte: without it a CH341A holds received bytes until its buffer fills.
  div |= 0x80;
  return { reg1312: (factor & 0xff00) | div, reg0f2c: factor & 0xff };
}

/**
 * The inverse, as the chip runs it; null for a register pair that selects no valid rate. Takes
 * the prescaler's `fact` bit, which Linux's ch341 sets for odd divisors (WCH's 921600 pair is
 * prescaler 3 with `fact`: 1532620800 × 2 / 3328 = 921044, named 921600 as WCH does).
 */
export function ch34xBaudFromRegisters(reg1312: number, reg0f2c: number): number | null {
  const ps = reg1312 & 0x03;
  const fact = (reg1312 & FACT) !== 0;
  const factor = (reg1312 & 0xff00) | (reg0f2c & 0xff);
  if (fact && ps === DIVMAX && factor === 0xf300) return 921_600;
  const count = 0x10000 - factor;
  if (count <= 0 || count > 0xfff0) return null;
  return Math.round((CH34X_BAUDBASE_FACTOR * (fact ? 2 : 1)) / (count * PRESCALER_STEP ** (DIVMAX - ps)));
}

/** Line control register (written at 0x2518): CH341DS1 LCR bits, as Linux ch341.c names them. */
export const CH34X_LCR = { RX_EN: 0x80, TX_EN: 0x40, MARK_SPACE: 0x20, EVEN: 0x10, PAR_EN: 0x08, STOP2: 0x04 } as const;

export function ch34xLcr(s: LineSettings): number {
  if (s.stopBits === 1.5) throw new RangeError('CH34x has no 1.5 stop bits');
  let lcr = CH34X_LCR.RX_EN | CH34X_LCR.TX_EN | (s.dataBits - 5);
  if (s.stopBits === 2) lcr |= CH34X_LCR.STOP2;
  switch (s.parity) {
    case 'odd': lcr |= CH34X_LCR.PAR_EN; break;
    case 'even': lcr |= CH34X_LCR.PAR_EN | CH34X_LCR.EVEN; break;
    case 'mark': lcr |= CH34X_LCR.PAR_EN | CH34X_LCR.MARK_SPACE; break;
    case 'space': lcr |= CH34X_LCR.PAR_EN | CH34X_LCR.MARK_SPACE | CH34X_LCR.EVEN; break;
    case 'none': break;
  }
  return lcr;
}

export function ch34xLineFromLcr(lcr: number): Pick<LineSettings, 'dataBits' | 'parity' | 'stopBits'> | null {
  const dataBits = (lcr & 0x03) + 5;
  if (dataBits !== 7 && dataBits !== 8) return null;
  let parity: LineSettings['parity'] = 'none';
  if (lcr & CH34X_LCR.PAR_EN) {
    const ms = (lcr & CH34X_LCR.MARK_SPACE) !== 0;
    const even = (lcr & CH34X_LCR.EVEN) !== 0;
    parity = ms ? (even ? 'space' : 'mark') : even ? 'even' : 'odd';
  }
  return { dataBits, parity, stopBits: lcr & CH34X_LCR.STOP2 ? 2 : 1 };
}
