/**
 * diagnostics: USB tree, link stats, frame log, per-meter data quality (unread lines, register
 * history, quirks corrected), auto-probe, findings, redacted support bundle.
 * It listens to what the meter session publishes (session-link.ts, session-frames.ts) and
 * decodes nothing itself; the auto-probe runs the meter room's detector. createDiagnostics wires
 * the room in one call.
 */
export * from './findings.js';
export * from './frame-log.js';
export * from './raw-frames.js';
export * from './session-link.js';
export * from './session-frames.js';
export * from './meter-data.js';
export * from './naming-device.js';
export * from './probe.js';
export * from './recent-errors.js';
export * from './support-bundle.js';
export * from './usb-tree.js';
export * from './diagnostics-service.js';
export * from './handlers.js';
export * from './detect-prober.js';
export * from './create-diagnostics.js';
