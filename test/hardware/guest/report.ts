/**
 * What the guest tells the host. One event per console line, `WATTLET-JSON ` then JSON, so the
 * host can pick its lines out of the kernel's console output. Shared by both sides.
 */
export const REPORT_PREFIX = 'WATTLET-JSON ';

export type GuestEvent =
  | { event: 'started'; family: string; node: string; scenarios: string[] }
  /** A scenario's life: 'ready' (waiting for the host's go), 'start', 'end'. */
  | { event: 'scenario'; name: string; phase: 'ready' | 'start' | 'end'; ok?: boolean; message?: string | undefined }
  | { event: 'device'; vendorId: number; productId: number; bcdDevice: number; bus?: string | undefined }
  | { event: 'port-open'; line: string; attempt: number }
  | { event: 'open-failed'; code: string; message: string; attempt: number }
  | { event: 'line-changed'; line: string }
  | { event: 'identification'; text: string }
  | { event: 'reading'; reading: unknown }
  | { event: 'decode-error'; code: string; message: string }
  | { event: 'link-lost'; code: string; message: string; bytesIn: number }
  /** Received data went quiet: how many line bytes the port delivered so far (this plug-in). */
  | { event: 'rx-idle'; bytesIn: number; attempt: number }
  | { event: 'stats'; stats: unknown }
  /** SerialPort.close() threw: the app would leak the claimed interface or crash on quit. */
  | { event: 'close-error'; message: string; stack?: string | undefined }
  /** A kernel module loaded, a driver bound, a device node appeared: what Linux did. */
  | { event: 'kernel'; what: string; detail: string }
  /** The line coding Linux's CDC-ACM gadget function received (kprobe on its completion). */
  | { event: 'line-coding'; line: string; rate: number; stop: number; parity: number; bits: number }
  /** Bytes the guest-side simulated meter put on / heard from the gadget's tty, base64. */
  | { event: 'meter-sent'; line: string; bytes: string }
  | { event: 'meter-heard'; line: string; bytes: string }
  /** A control request a simulated chip answered through FunctionFS, as Linux's driver sent it. */
  | { event: 'chip-request'; chip: string; setup: string; data?: string | undefined; outcome: 'ok' | 'stall'; reason?: string | undefined }
  /** The simulated chip's UART settings, decoded from its registers, after a request changed them. */
  | { event: 'chip-line'; chip: string; line: string | null; baudRate: number | null }
  /** One `stty` step of a chip scenario: what was asked, what the simulator decoded, the echo. */
  | { event: 'chip-step'; chip: string; driver: string; asked: string; decoded: string | null; decodedBaud: number | null; sent: string; echoed: string }
  | { event: 'hotplug'; kind: 'connect' | 'disconnect'; vidPid: string; at: number }
  | { event: 'access'; uid: number; node: string; mode: string; owner: number; opened: boolean; message?: string | undefined }
  | { event: 'done'; ok: boolean; message?: string | undefined }
  | { event: 'log'; message: string };

export function emit(e: GuestEvent): void {
  process.stdout.write(`${REPORT_PREFIX}${JSON.stringify(e)}\n`);
}

export function parseReportLine(line: string): GuestEvent | null {
  const at = line.indexOf(REPORT_PREFIX);
  if (at < 0) return null;
  try {
    return JSON.parse(line.slice(at + REPORT_PREFIX.length)) as GuestEvent;
  } catch {
    return null; // a line the console interleaved with kernel output; the host counts on others
  }
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
