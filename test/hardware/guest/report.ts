/**
 * What the guest tells the host. One event per console line, `WATTLET-JSON ` then JSON, so the
 * host can pick its lines out of the kernel's console output. Shared by both sides.
 */
export const REPORT_PREFIX = 'WATTLET-JSON ';

export type GuestEvent =
  | { event: 'started'; scenario: string; node: string }
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
