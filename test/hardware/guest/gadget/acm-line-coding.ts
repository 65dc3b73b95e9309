import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { formatLine, type LineSettings } from '../../../../main/meter/serial/line-settings.js';
import type { ChipLineSource } from '../../harness/meter-wire.js';
import { run } from '../linux.js';
import { emit } from '../report.js';

const TRACING = '/sys/kernel/tracing';

/**
 * A kprobe on f_acm's acm_complete_set_line_coding(ep, req), the completion that stores the 7
 * bytes of a SET_LINE_CODING in the gadget (Linux 6.1 keeps them only in acm->port_line_coding,
 * never printing them). It fetches the request's buffer and lengths. Offsets are of Debian
 * 6.1's struct usb_request {ep, buf, length, …, status, actual}: the probe also fetches `len`,
 * which f_acm set to 7, so a kernel with another layout fails loudly instead of decoding junk.
 */
const PROBE =
  'p:wattlet/acm_lc usb_f_acm:acm_complete_set_line_coding len=+16(%si):u32 status=+92(%si):s32 actual=+96(%si):u32 ' +
  'rate=+0(+8(%si)):u32 stop=+4(+8(%si)):u8 parity=+5(+8(%si)):u8 bits=+6(+8(%si)):u8';

const PARITY = ['none', 'odd', 'even', 'mark', 'space'] as const;
const STOP = [1, 1.5, 2] as const;

/**
 * The line coding Linux's CDC-ACM gadget received, in order, as a ChipLineSource: what the far
 * side of the "adapter" is set to, from Linux's record rather than from the driver that asked.
 */
export class AcmLineCodings implements ChipLineSource {
  readonly history: string[] = [];
  #current: LineSettings = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 };
  #waiters: (() => void)[] = [];
  #problem: string | null = null;

  static async start(): Promise<AcmLineCodings> {
    if (!existsSync(`${TRACING}/kprobe_events`)) await run('mount', ['-t', 'tracefs', 'none', TRACING]);
    writeFileSync(`${TRACING}/kprobe_events`, `${PROBE}\n`);
    writeFileSync(`${TRACING}/events/wattlet/acm_lc/enable`, '1');
    const t = new AcmLineCodings();
    // A `cat` child reads the pipe: a blocking read in this process would hold its exit (control.ts).
    const reader = spawn('cat', [`${TRACING}/trace_pipe`], { stdio: ['ignore', 'pipe', 'inherit'] });
    reader.unref();
    createInterface({ input: reader.stdout }).on('line', (l) => t.#line(l));
    return t;
  }

  /** Set when a probe hit did not look like a 7-byte line coding (layout mismatch, short transfer). */
  get problem(): string | null {
    return this.#problem;
  }

  current(): LineSettings {
    return this.#current;
  }

  changed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.#waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Resolves once `count` codings have been recorded (or after `ms`). */
  async waitForCount(count: number, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.history.length < count && Date.now() < deadline) await this.changed(deadline - Date.now());
  }

  #line(l: string): void {
    const m = /acm_lc:.*len=(\d+) status=(-?\d+) actual=(\d+) rate=(\d+) stop=(\d+) parity=(\d+) bits=(\d+)/.exec(l);
    if (!m) return;
    const [len, status, actual, rate, stop, parity, bits] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
    if (len !== 7) {
      this.#problem = `kprobe read length ${len} where f_acm sets 7: struct usb_request has another layout in this kernel`;
      emit({ event: 'log', message: this.#problem });
      return;
    }
    if (status !== 0 || actual !== 7) {
      emit({ event: 'log', message: `SET_LINE_CODING not stored by f_acm (status ${status}, ${actual} of 7 bytes)` });
      return;
    }
    const p = PARITY[parity];
    const s = STOP[stop];
    const line = p && s && (bits === 7 || bits === 8) ? formatLine({ baudRate: rate, dataBits: bits, parity: p, stopBits: s }) : `${rate} bits=${bits} parity=${parity} stop=${stop}`;
    if (p && s && (bits === 7 || bits === 8)) this.#current = { baudRate: rate, dataBits: bits, parity: p, stopBits: s };
    this.history.push(line);
    emit({ event: 'line-coding', line, rate, stop, parity, bits });
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }
}
