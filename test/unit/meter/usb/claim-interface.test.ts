import { describe, expect, it } from 'vitest';
import { isError } from '../../../../main/api/errors.js';
import { LINE_8N1_115200 } from '../../../../main/meter/serial/line-settings.js';
import { SimulatedFtdi } from '../../../../main/meter/sim/adapters/simulated-ftdi.js';
import { openUsbSerialPort } from '../../../../main/meter/usb/open-usb-serial-port.js';

/** An FTDI cable that Linux ftdi_sio has bound, as on a fresh plug-in: claiming fails until detached. */
class KernelBoundFtdi extends SimulatedFtdi {
  bound = true;
  detaches = 0;
  detachKernelDriver = async (_n: number): Promise<void> => {
    // usb 3.1 rejects when no driver is bound; the driver must not treat that as fatal.
    if (!this.bound) throw new Error('LIBUSB_ERROR_NOT_FOUND: Entity not found');
    this.bound = false;
    this.detaches++;
  };
  override async claimInterface(n: number): Promise<void> {
    if (this.bound) throw new Error('LIBUSB_ERROR_BUSY: Resource busy');
    await super.claimInterface(n);
  }
}

/** Another program holds the interface: there is no kernel driver to detach. */
class OtherProgramFtdi extends KernelBoundFtdi {
  override async claimInterface(_n: number): Promise<void> {
    throw new Error('LIBUSB_ERROR_BUSY: Resource busy');
  }
}

/** macOS / Windows style: busy, and no detach at all. */
class NoDetachBusyFtdi extends SimulatedFtdi {
  override async claimInterface(_n: number): Promise<void> {
    throw new Error('Resource busy');
  }
}

describe('claiming the interface', () => {
  it('detaches a bound kernel driver and opens', async () => {
    const sim = new KernelBoundFtdi();
    const port = await openUsbSerialPort(sim, { settings: LINE_8N1_115200 });
    expect(sim.detaches).toBe(1);
    expect(port.isOpen).toBe(true);
    await port.close();
    // Opening again with no driver bound claims directly; detach is not even tried.
    const again = await openUsbSerialPort(sim, { settings: LINE_8N1_115200 });
    expect(sim.detaches).toBe(1);
    await again.close();
  });

  it('explains METER_INTERFACE_CLAIMED when another program holds it, with the detach outcome', async () => {
    const sim = new OtherProgramFtdi();
    sim.bound = false;
    const failure = await openUsbSerialPort(sim, { settings: LINE_8N1_115200 }).catch((e: unknown) => e);
    expect(isError(failure, 'METER_INTERFACE_CLAIMED')).toBe(true);
    expect(isError(failure) && failure.facts).toMatchObject({ canDetach: true, detachProblem: expect.stringContaining('NOT_FOUND'), interfaceNumber: 0 });
    expect(sim.opened).toBe(false); // the failed open released the device
  });

  it('says detaching is impossible where the backend has no detach', async () => {
    const failure = await openUsbSerialPort(new NoDetachBusyFtdi(), { settings: LINE_8N1_115200 }).catch((e: unknown) => e);
    expect(isError(failure, 'METER_INTERFACE_CLAIMED') && failure.facts.canDetach).toBe(false);
  });
});
