// meter/serial: the one SerialPort interface, line settings, and the OS serial path.
export * from './line-settings.js';
export * from './serial-port.js';
export * from './os-serial.js';
export * from './os-serial-ports.js';
