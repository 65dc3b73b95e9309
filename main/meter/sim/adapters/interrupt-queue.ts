import type { UsbInResult } from '../../usb/usb-device.js';

interface Waiting {
  readonly length: number;
  resolve(r: UsbInResult): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout | null;
}

/**
 * An interrupt IN endpoint of a simulated chip: packets (line-state notifications) queue until
 * the host polls; a poll with a timeout rejects with "Cancelled" as `usb` 3.1 does.
 */
export class InterruptQueue {
  #packets: Uint8Array[] = [];
  #waiting: Waiting[] = [];

  get queued(): number {
    return this.#packets.length;
  }

  poll(length: number, timeout?: number): Promise<UsbInResult> {
    return new Promise((resolve, reject) => {
      const w: Waiting = { length, resolve, reject, timer: null };
      if (timeout !== undefined && timeout > 0) {
        w.timer = setTimeout(() => {
          const i = this.#waiting.indexOf(w);
          if (i >= 0) this.#waiting.splice(i, 1);
          reject(new Error('Cancelled'));
        }, timeout);
      }
      this.#waiting.push(w);
      this.#pump();
    });
  }

  push(packet: Uint8Array): void {
    this.#packets.push(packet);
    this.#pump();
  }

  /** Unplug or close: waiting polls fail with `error`, queued packets are lost. */
  abort(error: () => Error): void {
    for (const w of this.#waiting.splice(0)) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(error());
    }
    this.#packets = [];
  }

  #pump(): void {
    while (this.#waiting.length && this.#packets.length) {
      const w = this.#waiting.shift()!;
      const bytes = this.#packets.shift()!.slice(0, w.length);
      if (w.timer) clearTimeout(w.timer);
      w.resolve({ data: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), status: 'ok' });
    }
  }
}
