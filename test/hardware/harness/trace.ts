/**
 * QEMU's usb_serial_* trace lines (hw/usb/trace-events, QEMU 7.2), as the "log" backend prints
 * them on stderr, optionally prefixed with "<pid>@<time>:":
 *   usb_serial_set_baud dev 0:1 baud rate 9600
 *   usb_serial_set_data dev 0:1 parity E, data bits 7, stop bits 1
 *   usb_serial_reset dev 0:1 reset
 * They are what QEMU's FTDI model decoded from the driver's requests — the chip's view, not ours.
 */
export type UsbSerialTrace =
  | { readonly kind: 'baud'; readonly baud: number; readonly at: number }
  | { readonly kind: 'data'; readonly parity: string; readonly dataBits: number; readonly stopBits: number; readonly at: number }
  | { readonly kind: 'reset'; readonly at: number }
  | { readonly kind: 'other'; readonly event: string; readonly text: string; readonly at: number };

export function parseTraceLine(line: string, at = Date.now()): UsbSerialTrace | null {
  const m = /(usb_serial_[a-z_]+)\s+(.*)$/.exec(line);
  if (!m) return null;
  const [, event, text] = m as unknown as [string, string, string];
  if (event === 'usb_serial_set_baud') {
    const b = /baud rate (\d+)/.exec(text);
    if (b) return { kind: 'baud', baud: Number(b[1]), at };
  }
  if (event === 'usb_serial_set_data') {
    const d = /parity (.), data bits (\d+), stop bits (\d+)/.exec(text);
    if (d) return { kind: 'data', parity: d[1]!, dataBits: Number(d[2]), stopBits: Number(d[3]), at };
  }
  if (event === 'usb_serial_reset') return { kind: 'reset', at };
  return { kind: 'other', event, text, at };
}

/** The list without consecutive repeats. */
export function collapse(list: readonly string[]): string[] {
  return list.filter((x, i) => i === 0 || list[i - 1] !== x);
}

/** "9600 7E1" from the chip's view. */
export interface ChipLine {
  baud: number | null;
  format: string | null;
}

/** The line settings the emulated chip is at, updated from trace events as they arrive. */
export class ChipLineTracker {
  readonly current: ChipLine = { baud: null, format: null };
  /** Every (baud, format) the chip was set to, in order, e.g. ["300 7E1", "9600 7E1"]. */
  readonly history: string[] = [];
  /**
   * The chip's settings each time the driver completed a line setup: the project's FTDI driver
   * sends SET_BAUD_RATE then SET_DATA, so a SET_DATA closes one setup. Every one, repeats
   * included (callers collapse them within the stretch they look at).
   */
  readonly setups: string[] = [];
  private waiters: (() => void)[] = [];

  apply(t: UsbSerialTrace): void {
    if (t.kind === 'baud') this.current.baud = t.baud;
    else if (t.kind === 'data') this.current.format = `${t.dataBits}${t.parity}${t.stopBits}`;
    else return;
    const now = this.describe();
    if (this.history[this.history.length - 1] !== now) this.history.push(now);
    if (t.kind === 'data') this.setups.push(now);
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  describe(): string {
    return `${this.current.baud ?? '?'} ${this.current.format ?? '?'}`;
  }

  /** Resolves when the next baud or format trace arrives (or after `ms`). */
  changed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
