import type { UsbConfigurationInfo, UsbControlSetup, UsbDeviceLike, UsbInResult, UsbOutResult } from './usb-device.js';
import type { WattletError } from '../../api/errors.js';
import { usbError } from './usb-errors.js';

/** A plain copy of a configuration descriptor (the library's objects may be native). */
function copyConfiguration(c: UsbConfigurationInfo): UsbConfigurationInfo {
  return {
    configurationValue: c.configurationValue,
    interfaces: c.interfaces.map((i) => ({
      interfaceNumber: i.interfaceNumber,
      claimed: false,
      alternate: {
        alternateSetting: i.alternate.alternateSetting,
        interfaceClass: i.alternate.interfaceClass,
        interfaceSubclass: i.alternate.interfaceSubclass,
        interfaceProtocol: i.alternate.interfaceProtocol,
        endpoints: i.alternate.endpoints.map((e) => ({ endpointNumber: e.endpointNumber, direction: e.direction, type: e.type, packetSize: e.packetSize })),
      },
    })),
  };
}

/**
 * A `usb` 3.x device with its descriptors read once, when it was listed. The library's native
 * device refuses every property read while one of its transfers is pending ("The same native
 * value cannot be borrowed mutably while another borrow is active" — thrown synchronously, from a
 * getter): a device list or a hot-plug announcement made while the meter session reads from
 * the adapter would throw, and from a timer it ends the process (seen in the QEMU hot-plug test).
 * Descriptors do not change while the device stays plugged in, so they are served from the
 * snapshot; the transfer methods and the live state go to the device itself.
 */
export class CachedUsbDevice implements UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly deviceClass: number;
  readonly deviceSubclass: number;
  readonly deviceProtocol: number;
  readonly deviceVersionMajor: number;
  readonly deviceVersionMinor: number;
  readonly deviceVersionSubminor: number;
  readonly usbVersionMajor: number;
  readonly usbVersionMinor: number;
  readonly manufacturerName: string | null | undefined;
  readonly productName: string | null | undefined;
  readonly serialNumber: string | null | undefined;
  readonly configurations: readonly UsbConfigurationInfo[];
  readonly bus?: string;
  readonly ports?: readonly number[];
  readonly address?: number;
  readonly detachKernelDriver?: (interfaceNumber: number) => Promise<void>;
  /** Why the configuration descriptors could not be read when listed (no permission), if so. */
  readonly descriptorProblem: WattletError | null = null;

  constructor(readonly native: UsbDeviceLike) {
    this.vendorId = native.vendorId;
    this.productId = native.productId;
    this.deviceClass = native.deviceClass;
    this.deviceSubclass = native.deviceSubclass;
    this.deviceProtocol = native.deviceProtocol;
    this.deviceVersionMajor = native.deviceVersionMajor;
    this.deviceVersionMinor = native.deviceVersionMinor;
    this.deviceVersionSubminor = native.deviceVersionSubminor;
    this.usbVersionMajor = native.usbVersionMajor;
    this.usbVersionMinor = native.usbVersionMinor;
    this.manufacturerName = native.manufacturerName;
    this.productName = native.productName;
    this.serialNumber = native.serialNumber;
    // `usb` 3.1 opens the device to read its configuration descriptors: one the user may not
    // open (no udev rule yet) would fail the whole device list. It is listed without them; using
    // it fails with the coded error (see `configuration`).
    let configurations: UsbConfigurationInfo[] = [];
    try {
      configurations = native.configurations.map(copyConfiguration);
    } catch (e) {
      this.descriptorProblem = usbError(e, 'reading the configuration descriptors');
    }
    this.configurations = configurations;
    if (native.bus !== undefined) this.bus = native.bus;
    if (native.ports !== undefined) this.ports = [...native.ports];
    if (native.address !== undefined) this.address = native.address;
    if (native.detachKernelDriver) this.detachKernelDriver = (n) => native.detachKernelDriver!(n);
  }

  /** Live: drivers read these only between transfers (before opening, after closing). */
  get opened(): boolean {
    return this.#live(() => this.native.opened, 'reading whether the device is open');
  }

  /**
   * Live, and not free: `usb` 3.1 opens the device to read its active configuration, so without
   * permission this getter throws ("open error: permission denied") — from a driver's
   * constructor, before any open(). The error is coded here so it reaches the person as
   * METER_PERMISSION_DENIED with the udev rule to install (seen in the QEMU hot-plug test).
   */
  get configuration(): UsbConfigurationInfo | null | undefined {
    return this.#live(() => this.native.configuration, 'reading the active configuration');
  }

  #live<T>(read: () => T, what: string): T {
    try {
      return read();
    } catch (e) {
      throw usbError(e, what);
    }
  }

  open(): Promise<void> {
    return this.native.open();
  }

  close(): Promise<void> {
    return this.native.close();
  }

  selectConfiguration(configurationValue: number): Promise<void> {
    return this.native.selectConfiguration(configurationValue);
  }

  claimInterface(interfaceNumber: number): Promise<void> {
    return this.native.claimInterface(interfaceNumber);
  }

  releaseInterface(interfaceNumber: number): Promise<void> {
    return this.native.releaseInterface(interfaceNumber);
  }

  controlTransferIn(setup: UsbControlSetup, length: number, timeout?: number): Promise<UsbInResult> {
    return this.native.controlTransferIn(setup, length, timeout);
  }

  controlTransferOut(setup: UsbControlSetup, data?: Uint8Array, timeout?: number): Promise<UsbOutResult> {
    return this.native.controlTransferOut(setup, data, timeout);
  }

  transferIn(endpointNumber: number, length: number, timeout?: number): Promise<UsbInResult> {
    return this.native.transferIn(endpointNumber, length, timeout);
  }

  transferOut(endpointNumber: number, data: Uint8Array, timeout?: number): Promise<UsbOutResult> {
    return this.native.transferOut(endpointNumber, data, timeout);
  }
}
