// meter/usb: userspace USB-serial drivers over a WebUSB-style device, behind one backend seam.
export * from './usb-device.js';
export * from './usb-backend.js';
export * from './usb-errors.js';
export * from './udev-rule.js';
export * from './adapter-families.js';
export * from './usb-serial-port.js';
export * from './open-usb-serial-port.js';
export * from './ftdi-baud.js';
export * from './ftdi.js';
export * from './cdc-acm.js';
export * from './cp210x.js';
export * from './ch34x-baud.js';
export * from './ch34x.js';
export * from './pl2303.js';
export * from './line-coding.js';
export * from './node-usb-backend.js';
