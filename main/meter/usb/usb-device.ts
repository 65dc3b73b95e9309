/**
 * The slice of the WebUSB `USBDevice` surface our drivers use. Both the `usb` package (2.x
 * WebUSB class and 3.x) and the simulated adapters satisfy it structurally, so drivers never
 * know which one they hold. Defined here, not taken from @types/w3c-web-usb, because the
 * project's tsconfig loads only Node's globals and because `usb` 3.x adds a timeout argument.
 */
export type UsbRequestType = 'standard' | 'class' | 'vendor';
export type UsbRecipient = 'device' | 'interface' | 'endpoint' | 'other';
export type UsbTransferStatus = 'ok' | 'stall' | 'babble';

export interface UsbControlSetup {
  readonly requestType: UsbRequestType;
  readonly recipient: UsbRecipient;
  readonly request: number;
  readonly value: number;
  readonly index: number;
}

export interface UsbInResult {
  readonly data?: DataView | undefined;
  readonly status: UsbTransferStatus;
}

export interface UsbOutResult {
  readonly bytesWritten: number;
  readonly status: UsbTransferStatus;
}

export interface UsbEndpointInfo {
  readonly endpointNumber: number;
  readonly direction: 'in' | 'out';
  readonly type: 'bulk' | 'interrupt' | 'isochronous';
  readonly packetSize: number;
}

export interface UsbAlternateInfo {
  readonly alternateSetting: number;
  readonly interfaceClass: number;
  readonly interfaceSubclass: number;
  readonly interfaceProtocol: number;
  readonly endpoints: readonly UsbEndpointInfo[];
}

export interface UsbInterfaceInfo {
  readonly interfaceNumber: number;
  readonly alternate: UsbAlternateInfo;
  readonly claimed: boolean;
}

export interface UsbConfigurationInfo {
  readonly configurationValue: number;
  readonly interfaces: readonly UsbInterfaceInfo[];
}

export interface UsbDeviceLike {
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
  readonly manufacturerName?: string | null | undefined;
  readonly productName?: string | null | undefined;
  readonly serialNumber?: string | null | undefined;
  readonly opened: boolean;
  readonly configuration?: UsbConfigurationInfo | null | undefined;
  readonly configurations: readonly UsbConfigurationInfo[];
  /** `usb` 3.x only: where the device sits (bus "1-1", port chain). */
  readonly bus?: string;
  readonly ports?: readonly number[];
  /** `usb` 3.x only: the bus address, new on every enumeration (a re-plug is a new device). */
  readonly address?: number;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(configurationValue: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  controlTransferIn(setup: UsbControlSetup, length: number, timeout?: number): Promise<UsbInResult>;
  controlTransferOut(setup: UsbControlSetup, data?: Uint8Array, timeout?: number): Promise<UsbOutResult>;
  transferIn(endpointNumber: number, length: number, timeout?: number): Promise<UsbInResult>;
  transferOut(endpointNumber: number, data: Uint8Array, timeout?: number): Promise<UsbOutResult>;
  /** Linux, `usb` 3.x: rejects when no kernel driver is bound (a defect, not a failure). */
  detachKernelDriver?(interfaceNumber: number): Promise<void>;
}

/** bcdDevice as one number (0x0600 for an FT232R), from WebUSB's split version fields. */
export function bcdDevice(d: UsbDeviceLike): number {
  return (d.deviceVersionMajor << 8) | (d.deviceVersionMinor << 4) | d.deviceVersionSubminor;
}

export function bcdUsb(d: UsbDeviceLike): number {
  return (d.usbVersionMajor << 8) | (d.usbVersionMinor << 4);
}

export function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** The bytes of an IN result, without copying and without trusting `data.buffer` to be exact. */
export function resultBytes(r: UsbInResult): Uint8Array {
  const v = r.data;
  return v ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : new Uint8Array(0);
}

/** The active configuration, or the first one when the device has not chosen yet. */
export function activeConfiguration(d: UsbDeviceLike): UsbConfigurationInfo | undefined {
  return d.configuration ?? d.configurations[0];
}
