/**
 * The meter room: what other rooms may use of it. The reading, line settings and the serial-port
 * interface are here; the session (one meter kept connected, publishing frames, readings, link
 * events and its one count), discovery, decoders and simulators have their own index.ts under
 * session/, usb/, protocols/, detect/ and sim/. create-meter.ts wires the room for the
 * composition root.
 */
export * from './reading.js';
export * from './serial/line-settings.js';
export * from './serial/serial-port.js';
export * from './sim/wire.js';
