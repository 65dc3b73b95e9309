import { describe, expect, it } from 'vitest';
import { SimulatedFtdi } from '../../../../main/meter/sim/adapters/simulated-ftdi.js';
import { SimulatedUsbBackend } from '../../../../main/meter/sim/adapters/simulated-usb-backend.js';
import { SimulatedDsmrMeter } from '../../../../main/meter/sim/meters/simulated-dsmr-meter.js';
import { LINE_8N1_115200 } from '../../../../main/meter/serial/line-settings.js';
import { MeterSession, type SessionState } from '../../../../main/meter/session/meter-session.js';
import { MeterDiscovery } from '../../../../main/meter/usb/discovery.js';
import { usbSerialPort } from '../../../../main/meter/usb/open-usb-serial-port.js';
import { reconnectOnAttach } from '../../../../main/meter/usb/reconnect-on-attach.js';

function until(what: () => boolean, ms = 8000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      if (what()) return resolve();
      if (Date.now() - t0 > ms) return reject(new Error('timed out waiting'));
      setTimeout(tick, 20);
    };
    tick();
  });
}

/**
 * The hot-plug reconnect: after an unplug the session waits out its backoff (ten minutes here);
 * the attach of the adapter, through discovery and reconnectOnAttach, ends the wait at once.
 * The QEMU hot-plug test (test/hardware) runs the same wiring against udev's events.
 */
describe('reconnect on attach', () => {
  it('the session retries as soon as an adapter is plugged in, not when its backoff ends', async () => {
    const ftdi = new SimulatedFtdi({ serialNumber: 'P1' });
    ftdi.connectMeter(new SimulatedDsmrMeter({ version: '5.0', seed: 3 }));
    const backend = new SimulatedUsbBackend();
    backend.plug(ftdi);
    const discovery = new MeterDiscovery({ backend, debounceMs: 20 });
    const session = new MeterSession({
      openPort: async () => {
        const d = (await backend.getDevices())[0];
        if (!d) throw new Error('no adapter');
        return usbSerialPort(d, { family: 'ftdi' });
      },
      target: { protocol: 'dsmr', line: LINE_8N1_115200 },
      backoff: { initialMs: 600_000, maxMs: 600_000 },
    });
    const states: SessionState[] = [];
    session.onState((s) => states.push(s.state));
    const off = reconnectOnAttach(discovery, session);
    try {
      session.start();
      await until(() => states.includes('reading'));
      backend.unplug(ftdi);
      await until(() => states[states.length - 1] === 'waiting');
      const waitingSince = Date.now();
      backend.plug(ftdi);
      await until(() => states.filter((s) => s === 'reading').length === 2);
      expect(Date.now() - waitingSince).toBeLessThan(5_000);
    } finally {
      off();
      await session.dispose();
      await discovery.dispose();
      backend.dispose();
    }
  });

  it('an attach during a failing attempt is remembered: the next wait is cut short', async () => {
    let opens = 0;
    let release!: () => void;
    const session = new MeterSession({
      openPort: async () => {
        opens++;
        if (opens === 1) await new Promise<void>((r) => (release = r)); // the attempt still running when the attach comes
        throw new Error('unplugged');
      },
      target: { protocol: 'dsmr', line: LINE_8N1_115200 },
      backoff: { initialMs: 600_000, maxMs: 600_000 },
    });
    session.start();
    await until(() => session.state === 'connecting' && release !== undefined);
    session.retryNow();
    release();
    await until(() => opens === 2);
    await session.dispose();
  });

  it('an attach during an attempt that succeeds is forgotten: after a later loss the session waits its backoff', async () => {
    const ftdi = new SimulatedFtdi({ serialNumber: 'P2' });
    ftdi.connectMeter(new SimulatedDsmrMeter({ version: '5.0', seed: 4 }));
    let opens = 0;
    let session!: MeterSession;
    session = new MeterSession({
      openPort: async () => {
        opens++;
        if (!ftdi.plugged) throw new Error('unplugged');
        session.retryNow(); // an attach announced while this attempt runs
        return usbSerialPort(ftdi, { family: 'ftdi' });
      },
      target: { protocol: 'dsmr', line: LINE_8N1_115200 },
      backoff: { initialMs: 600_000, maxMs: 600_000 },
    });
    session.start();
    await until(() => session.state === 'reading');
    ftdi.unplug();
    await until(() => session.state === 'waiting');
    await new Promise((r) => setTimeout(r, 300));
    expect(opens).toBe(1);
    await session.dispose();
  });

  it('retryNow before start does nothing; while waiting it retries at once', async () => {
    let opens = 0;
    const session = new MeterSession({
      openPort: async () => {
        opens++;
        throw new Error('unplugged');
      },
      target: { protocol: 'dsmr', line: LINE_8N1_115200 },
      backoff: { initialMs: 600_000, maxMs: 600_000 },
    });
    session.retryNow(); // idle: nothing to wake
    session.start();
    await until(() => session.state === 'waiting');
    expect(opens).toBe(1);
    session.retryNow();
    await until(() => opens === 2);
    await until(() => session.state === 'waiting');
    await session.dispose();
    expect(opens).toBe(2);
  });
});
