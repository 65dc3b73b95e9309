import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseReportLine, type GuestEvent } from '../guest/report.js';
import { parseTraceLine, type UsbSerialTrace } from './trace.js';

export const QEMU = process.env.WATTLET_QEMU ?? 'qemu-system-x86_64';

export interface QemuProbe {
  readonly ok: boolean;
  /** Why QEMU cannot start, for the loud skip message. */
  readonly reason?: string;
}

/**
 * Can QEMU start a TCG machine with the devices these tests need? Starts one paused (-S) with
 * an xHCI controller and the FTDI model on a null chardev, and quits it through the monitor.
 * Only this decides a skip; anything failing after it (kernel download, boot, driver) is a
 * test failure.
 */
export function probeQemu(): QemuProbe {
  const r = spawnSync(
    QEMU,
    [
      '-machine', 'q35,accel=tcg', '-nodefaults', '-display', 'none', '-S', '-m', '64',
      '-device', 'qemu-xhci', '-device', 'usb-serial,chardev=c0', '-chardev', 'null,id=c0',
      '-monitor', 'stdio',
    ],
    { input: 'quit\n', encoding: 'utf8', timeout: 30_000 },
  );
  if (r.error) return { ok: false, reason: `${QEMU}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: `${QEMU} exited with ${r.status ?? r.signal}: ${(r.stderr ?? '').trim()}` };
  return { ok: true };
}

export interface QemuRunOptions {
  readonly kernel: string;
  readonly initrd: string;
  /** Which scenarios the guest runs in this boot ('ftdi' or 'gadget'; see guest/main.ts). */
  readonly family: string;
  /**
   * The meter's Unix socket, when the boot has QEMU's emulated FTDI: QEMU connects to it as a
   * client, so closing it unplugs the adapter. Without it the guest has no xHCI controller.
   */
  readonly meterSocket?: string;
  /** The host's control socket: QEMU dials it and it becomes the guest's /dev/ttyS1. */
  readonly controlSocket: string;
  readonly timeoutMs: number;
  /**
   * Count instructions for the guest's clock (QEMU -icount, shift 0, sleep off): guest time then
   * advances with the guest's own work, not with the host's wall clock, so a loaded host cannot
   * make the guest's timeouts fire (Linux's pl2303 allows a control request 100 ms). Only for a
   * boot that talks to nothing on the host in real time: idle time is skipped.
   */
  readonly icount?: boolean;
  /** `wattlet.<name>=<value>` on the kernel command line, read by the guest program. */
  readonly bootParams?: Readonly<Record<string, number | string>>;
  /** Aborting kills QEMU (the host side gave up; no point waiting for the guest's timeouts). */
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: GuestEvent) => void;
  readonly onTrace?: (t: UsbSerialTrace) => void;
}

export interface QemuRunResult {
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  /** ms from QEMU start to the guest's /init, and to the guest program's first line. */
  readonly bootMs: number | null;
  readonly events: readonly GuestEvent[];
  readonly traces: readonly UsbSerialTrace[];
  /** The whole console (kernel and guest) and QEMU's stderr, for failure messages. */
  readonly console: string;
  readonly stderr: string;
}

/**
 * Boot the guest once: one CPU under TCG, Debian's kernel with the initramfs; for the FTDI
 * family an xHCI controller with QEMU's FTDI model whose serial side is the meter's socket, and
 * every usb_serial_* trace event on stderr. The guest's console (ttyS0) is QEMU's stdout; its
 * second serial port (ttyS1) is the host's control socket.
 */
export function runQemu(opts: QemuRunOptions): Promise<QemuRunResult> {
  const started = Date.now();
  const args = [
    '-machine', 'q35,accel=tcg', '-cpu', 'max', '-smp', '1', '-m', '1024',
    '-nodefaults', '-display', 'none', '-no-reboot',
    '-serial', 'stdio', '-monitor', 'none',
    '-chardev', `socket,id=control,path=${opts.controlSocket}`,
    '-serial', 'chardev:control',
    ...(opts.icount ? ['-icount', 'shift=0,sleep=off'] : []),
    '-kernel', opts.kernel,
    '-initrd', opts.initrd,
    '-append', [
      // no_timer_check: on a loaded host TCG is too slow for the kernel's IO-APIC timer check,
      // which then panics ("IO-APIC + timer doesn't work"); seen here at load average 12.
      'console=ttyS0 quiet panic=-1 mitigations=off no_timer_check',
      `wattlet.family=${opts.family}`,
      ...Object.entries(opts.bootParams ?? {}).map(([k, v]) => `wattlet.${k}=${v}`),
    ].join(' '),
    ...(opts.meterSocket
      ? [
          '-device', 'qemu-xhci,id=xhci',
          // No always-plugged: the adapter is attached exactly while QEMU's socket to the meter is
          // connected; reconnect=1 makes QEMU dial again a second after the meter hangs up.
          '-chardev', `socket,id=meter,path=${opts.meterSocket},reconnect=1`,
          '-device', 'usb-serial,id=ftdi,bus=xhci.0,chardev=meter',
          '-trace', 'enable=usb_serial_*',
        ]
      : []),
  ];
  const child = spawn(QEMU, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const events: GuestEvent[] = [];
  const traces: UsbSerialTrace[] = [];
  const consoleLines: string[] = [];
  const stderrLines: string[] = [];
  let bootMs: number | null = null;

  createInterface({ input: child.stdout }).on('line', (raw) => {
    const line = raw.replace(/\r$/, '');
    consoleLines.push(line);
    if (bootMs === null && line.startsWith('WATTLET-BOOT init')) bootMs = Date.now() - started;
    const e = parseReportLine(line);
    if (e) {
      events.push(e);
      opts.onEvent?.(e);
    }
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    const t = parseTraceLine(line);
    if (t) {
      traces.push(t);
      opts.onTrace?.(t);
    } else stderrLines.push(line);
  });

  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    const abort = (): void => void child.kill('SIGKILL');
    if (opts.signal?.aborted) abort();
    opts.signal?.addEventListener('abort', abort, { once: true });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', abort);
      resolve({
        exitCode: code,
        timedOut,
        durationMs: Date.now() - started,
        bootMs,
        events,
        traces,
        console: consoleLines.join('\n'),
        stderr: stderrLines.join('\n'),
      });
    });
  });
}
