import { open, read, write } from 'node:fs';
import { createInterface } from 'node:readline';
import { formatLine, type LineSettings } from '../../../../main/meter/serial/line-settings.js';
import type { SimulatedUsbAdapter } from '../../../../main/meter/sim/adapters/simulated-usb-adapter.js';
import { nominalBaud } from '../../../../main/meter/sim/adapters/uart-wire.js';
import type { UsbControlSetup, UsbRecipient, UsbRequestType } from '../../../../main/meter/usb/usb-device.js';
import { emit } from '../report.js';
import { EchoPeer } from './echo-peer.js';
import { CHIPS, type ChipName } from './chips.js';
import { FunctionFs, type FfsInterface, type SetupPacket } from './functionfs.js';

const TYPES: readonly (UsbRequestType | null)[] = ['standard', 'class', 'vendor', null];
const RECIPIENTS: readonly UsbRecipient[] = ['device', 'interface', 'endpoint', 'other'];

export function toControlSetup(s: SetupPacket): UsbControlSetup | null {
  const requestType = TYPES[(s.bmRequestType >> 5) & 3];
  if (!requestType) return null;
  return { requestType, recipient: RECIPIENTS[s.bmRequestType & 0x1f] ?? 'other', request: s.bRequest, value: s.wValue, index: s.wIndex };
}

function hex(n: number, w = 4): string {
  return n.toString(16).padStart(w, '0');
}

export function describeSetup(s: SetupPacket): string {
  return `${hex(s.bmRequestType, 2)} ${hex(s.bRequest, 2)} v${hex(s.wValue)} i${hex(s.wIndex)} l${s.wLength}`;
}

function dataHex(b: Uint8Array): string {
  return Array.from(b, (x) => hex(x, 2)).join(' ');
}

/** The simulator's interface as a FunctionFS declaration (the first, and for these chips only, interface). */
function interfaceOf(sim: SimulatedUsbAdapter): FfsInterface {
  const alt = sim.descriptor.interfaces[0]!.alternate;
  return {
    interfaceClass: alt.interfaceClass,
    interfaceSubclass: alt.interfaceSubclass,
    interfaceProtocol: alt.interfaceProtocol,
    endpoints: alt.endpoints.map((e) => ({
      address: (e.direction === 'in' ? 0x80 : 0) | e.endpointNumber,
      type: e.type === 'interrupt' ? ('interrupt' as const) : ('bulk' as const),
      maxPacket: e.packetSize,
    })),
  };
}

function ioRead(fd: number, size: number): Promise<Uint8Array> {
  const buf = Buffer.alloc(size);
  return new Promise((resolve, reject) => read(fd, buf, 0, size, null, (e, n) => (e ? reject(e) : resolve(new Uint8Array(buf.subarray(0, n))))));
}

function ioWrite(fd: number, data: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => write(fd, data, 0, data.length, null, (e) => (e ? reject(e) : resolve())));
}

function ioOpen(path: string, flags: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, flags, (e, fd) => (e ? reject(e) : resolve(fd))));
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The USB side of one simulated chip, for Linux's driver on the guest's own bus: a FunctionFS
 * function whose control requests and bulk data are answered by the project's simulator
 * (main/meter/sim/adapters) — the same code the project's driver tests run against. Runs as
 * its own process so nothing else delays its answers (Linux's pl2303 waits only 100 ms).
 *
 * stdin takes the test's commands, one JSON object a line: {"peer": LineSettings} sets the far
 * end of the serial line. Every request Linux sent and the settings the simulator decoded are
 * reported as events.
 */
export async function runChipResponder(chip: ChipName, dir: string): Promise<never> {
  const sim = CHIPS[chip].make();
  const peer = new EchoPeer({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 });
  sim.connectMeter(peer);
  const iface = interfaceOf(sim);
  const ffs = FunctionFs.open(dir, iface);
  let lastLine = 'none';
  const reportLine = (): void => {
    const s: LineSettings | null = sim.uart;
    // The chip's rate as a UART would name it (a CH34x divisor gives 9594 for 9600).
    const line = s ? formatLine({ ...s, baudRate: nominalBaud(s.baudRate) }) : 'none';
    if (line === lastLine) return;
    lastLine = line;
    emit({ event: 'chip-line', chip, line: s ? line : null, baudRate: s?.baudRate ?? null });
  };

  createInterface({ input: process.stdin }).on('line', (text) => {
    const cmd = JSON.parse(text) as { peer?: LineSettings };
    if (cmd.peer) {
      peer.settings = cmd.peer;
      emit({ event: 'log', message: `peer at ${formatLine(cmd.peer)}` });
    }
  });

  // Bulk and interrupt pipes between the endpoint files and the simulator, started once: while
  // the function is disabled their I/O fails (ESHUTDOWN) and they retry.
  let pumping = false;
  const startPumps = (): void => {
    if (pumping) return;
    pumping = true;
    iface.endpoints.forEach((ep, i) => {
      const path = ffs.endpointPath(i + 1);
      const number = ep.address & 0x0f;
      if (ep.address & 0x80) {
        void (async () => {
          const fd = await ioOpen(path, 'w');
          for (;;) {
            try {
              const r = await sim.transferIn(number, 4096);
              const data = r.data ? new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength) : new Uint8Array(0);
              if (data.length) await ioWrite(fd, data);
            } catch {
              await pause(100);
            }
          }
        })();
      } else {
        void (async () => {
          const fd = await ioOpen(path, 'r');
          for (;;) {
            try {
              const data = await ioRead(fd, 4096);
              await sim.transferOut(number, data);
            } catch {
              await pause(100);
            }
          }
        })();
      }
    });
  };

  emit({ event: 'log', message: `ffs-ready ${chip}` });
  for (;;) {
    for (const ev of await ffs.events()) {
      if (ev.type === 'bind') sim.replug();
      else if (ev.type === 'unbind') sim.unplug();
      else if (ev.type === 'enable') {
        // SET_CONFIGURATION from Linux: the chip is configured, its interface in use.
        await sim.open();
        await sim.selectConfiguration(1);
        await sim.claimInterface(0);
        startPumps();
      } else if (ev.type === 'disable') await sim.close();
      else if (ev.type === 'setup') {
        await answer(ev.setup).catch((e: NodeJS.ErrnoException) => {
          // EIDRM: Linux gave up on the request (its timeout) before the answer went out. Linux's
          // driver logs the failure; the simulator's record shows what it would have answered.
          emit({ event: 'chip-request', chip, setup: describeSetup(ev.setup), outcome: 'stall', reason: `answer too late: ${e.code ?? e.message}` });
        });
      }
    }
  }

  async function answer(s: SetupPacket): Promise<void> {
    const setup = toControlSetup(s);
    const name = describeSetup(s);
    if (s.bmRequestType & 0x80) {
      let data: Uint8Array | null = null;
      let reason: string | undefined;
      try {
        if (!setup) throw new Error('reserved request type');
        const r = await sim.controlTransferIn(setup, s.wLength);
        data = r.data ? new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength).slice(0, s.wLength) : new Uint8Array(0);
      } catch (e) {
        reason = e instanceof Error ? e.message : String(e);
      }
      if (data) await ffs.answerIn(data);
      else ffs.stall(s);
      emit({ event: 'chip-request', chip, setup: name, data: data ? dataHex(data) : undefined, outcome: data ? 'ok' : 'stall', reason });
    } else if (s.wLength > 0) {
      // FunctionFS completes an OUT data stage and its status stage itself: the simulator's
      // verdict comes after the host already saw success. A refusal is reported, not signalled.
      const data = await ffs.acceptOut(s.wLength);
      let reason: string | undefined;
      try {
        if (!setup) throw new Error('reserved request type');
        await sim.controlTransferOut(setup, data);
      } catch (e) {
        reason = `refused after the data stage: ${e instanceof Error ? e.message : String(e)}`;
      }
      emit({ event: 'chip-request', chip, setup: name, data: dataHex(data), outcome: reason ? 'stall' : 'ok', reason });
    } else {
      let reason: string | undefined;
      try {
        if (!setup) throw new Error('reserved request type');
        await sim.controlTransferOut(setup, new Uint8Array(0));
      } catch (e) {
        reason = e instanceof Error ? e.message : String(e);
      }
      if (reason) ffs.stall(s);
      else await ffs.acceptOut(0);
      emit({ event: 'chip-request', chip, setup: name, outcome: reason ? 'stall' : 'ok', reason });
    }
    reportLine();
  }
}
