// meter/sim/adapters: simulated USB-serial chips (one per family) and a simulated USB bus.
export * from './uart-wire.js';
export * from './simulated-usb-adapter.js';
export * from './simulated-ftdi.js';
export * from './simulated-cdc-acm.js';
export * from './simulated-cp210x.js';
export * from './simulated-ch34x.js';
export * from './simulated-pl2303.js';
export * from './simulated-usb-backend.js';
export * from './repeating-line-meter.js';
export * from './demo-usb-bus.js';
export * from './interrupt-queue.js';
