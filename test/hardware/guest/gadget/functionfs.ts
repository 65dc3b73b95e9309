import { closeSync, openSync, read, readSync, write, writeSync } from 'node:fs';

/**
 * The userspace side of a FunctionFS gadget function (Documentation/usb/functionfs.rst, uapi
 * linux/usb/functionfs.h): descriptors and strings are written to ep0, then ep0 yields events —
 * bind, enable, setup packets — and the bulk and interrupt endpoints are files ep1, ep2 … in
 * the order their descriptors were given. With FUNCTIONFS_ALL_CTRL_RECIP, vendor requests to
 * the device (CH34x's) reach us too, not only those to our interface.
 */
const DESCRIPTORS_MAGIC_V2 = 3;
const STRINGS_MAGIC = 2;
const HAS_FS_DESC = 1;
const ALL_CTRL_RECIP = 64;
const EVENT_SIZE = 12;
const EVENT_TYPES = ['bind', 'unbind', 'enable', 'disable', 'setup', 'suspend', 'resume'] as const;

export interface FfsEndpoint {
  /** bEndpointAddress as declared; Linux's UDC may renumber it (dummy_hcd picks from its own list). */
  readonly address: number;
  readonly type: 'bulk' | 'interrupt';
  readonly maxPacket: number;
}

export interface FfsInterface {
  readonly interfaceClass: number;
  readonly interfaceSubclass: number;
  readonly interfaceProtocol: number;
  readonly endpoints: readonly FfsEndpoint[];
}

export interface SetupPacket {
  readonly bmRequestType: number;
  readonly bRequest: number;
  readonly wValue: number;
  readonly wIndex: number;
  readonly wLength: number;
}

export type FfsEvent = { readonly type: Exclude<(typeof EVENT_TYPES)[number], 'setup'> } | { readonly type: 'setup'; readonly setup: SetupPacket };

/** Full-speed descriptors only: dummy_hcd runs full speed here, as the real chips do. */
export function ffsDescriptors(iface: FfsInterface): Buffer {
  const body = [9, 4, 0, 0, iface.endpoints.length, iface.interfaceClass, iface.interfaceSubclass, iface.interfaceProtocol, 0];
  for (const ep of iface.endpoints) {
    body.push(7, 5, ep.address, ep.type === 'bulk' ? 2 : 3, ep.maxPacket & 0xff, ep.maxPacket >> 8, ep.type === 'bulk' ? 0 : 1);
  }
  const head = Buffer.alloc(16);
  head.writeUInt32LE(DESCRIPTORS_MAGIC_V2, 0);
  head.writeUInt32LE(16 + body.length, 4);
  head.writeUInt32LE(HAS_FS_DESC | ALL_CTRL_RECIP, 8);
  head.writeUInt32LE(1 + iface.endpoints.length, 12); // fs_count: the interface and its endpoints
  return Buffer.concat([head, Buffer.from(body)]);
}

function ffsNoStrings(): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32LE(STRINGS_MAGIC, 0);
  b.writeUInt32LE(16, 4);
  return b;
}

export class FunctionFs {
  readonly #ep0: number;

  private constructor(readonly dir: string, ep0: number) {
    this.#ep0 = ep0;
  }

  /** Open ep0 of a mounted FunctionFS instance and declare the interface; the ep files then exist. */
  static open(dir: string, iface: FfsInterface): FunctionFs {
    const ep0 = openSync(`${dir}/ep0`, 'r+');
    writeSync(ep0, ffsDescriptors(iface));
    writeSync(ep0, ffsNoStrings());
    return new FunctionFs(dir, ep0);
  }

  /** ep1, ep2 …: the n-th endpoint descriptor given to open(), 1-based. */
  endpointPath(n: number): string {
    return `${this.dir}/ep${n}`;
  }

  /** The next batch of events (blocks in libuv's thread pool until the kernel has some). */
  events(): Promise<FfsEvent[]> {
    const buf = Buffer.alloc(EVENT_SIZE * 4);
    return new Promise((resolve, reject) =>
      read(this.#ep0, buf, 0, buf.length, null, (e, n) => {
        if (e) return reject(e);
        const out: FfsEvent[] = [];
        for (let off = 0; off + EVENT_SIZE <= n; off += EVENT_SIZE) {
          const type = EVENT_TYPES[buf[off + 8]!];
          if (!type) continue;
          if (type === 'setup') {
            out.push({
              type,
              setup: {
                bmRequestType: buf[off]!,
                bRequest: buf[off + 1]!,
                wValue: buf.readUInt16LE(off + 2),
                wIndex: buf.readUInt16LE(off + 4),
                wLength: buf.readUInt16LE(off + 6),
              },
            });
          } else out.push({ type });
        }
        resolve(out);
      }),
    );
  }

  /** The data stage of an IN request (at most wLength bytes), then the status stage. */
  answerIn(data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => write(this.#ep0, data, 0, data.length, null, (e) => (e ? reject(e) : resolve())));
  }

  /**
   * The data stage of an OUT request, then the status stage. Reads at least one byte's room:
   * Node answers a zero-length read without calling read(2), and the kernel caps the read at
   * wLength anyway (zero for requests without data).
   */
  acceptOut(wLength: number): Promise<Uint8Array> {
    const buf = Buffer.alloc(Math.max(1, wLength));
    return new Promise((resolve, reject) =>
      read(this.#ep0, buf, 0, buf.length, null, (e, n) => (e ? reject(e) : resolve(new Uint8Array(buf.subarray(0, n))))),
    );
  }

  /** Refuse the request: the host sees a STALL. FunctionFS stalls on I/O against the request's direction. */
  stall(setup: SetupPacket): void {
    try {
      if (setup.bmRequestType & 0x80) readSync(this.#ep0, Buffer.alloc(1), 0, 1, null);
      else writeSync(this.#ep0, Buffer.alloc(1));
    } catch {
      // EL2HLT: the kernel reports the stall it just made as an error of this call.
    }
  }

  close(): void {
    closeSync(this.#ep0);
  }
}
